using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Host.Conversations;
using FlowRuntime.Host.Flows;
using FlowRuntime.Host.Infrastructure;
using FlowRuntime.Host.Security;
using FlowRuntime.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlowRuntime.Host.Apis;

public static class ChannelsApi
{
    public const string SecretHeader = "X-Channel-Secret";

    /// <summary>Channel management (behind the API key).</summary>
    public static RouteGroupBuilder MapChannelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/channels").WithTags("Channels");
        group.MapGet("/", (ChannelService channels, CancellationToken ct) => channels.ListAsync(ct));
        group.MapPost("/", async Task<Results<Ok<CreatedChannel>, ProblemHttpResult>> (CreateChannelRequest request, ChannelService channels, CancellationToken ct) =>
            IsValidName(request.Name) ? TypedResults.Ok(await channels.CreateOrRotateAsync(request.Name!, ct))
                : Problems.Validation("invalid_channel_name", "A channel name is 1-100 letters, digits, '-' or '_' and cannot start with '_'."));
        group.MapDelete("/{channel}", async Task<Results<NoContent, ProblemHttpResult>> (string channel, ChannelService channels, CancellationToken ct) =>
            await channels.DeleteAsync(channel, ct) ? TypedResults.NoContent() : Problems.NotFound("Channel", channel));
        return api;
    }

    /// <summary>The message endpoint: authorized by the channel's secret or the management key.</summary>
    public static IEndpointRouteBuilder MapChannelMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/channels/{channel}/messages", ReceiveAsync).WithTags("Channels");
        return app;
    }

    private static async Task<Results<Ok<ChannelReply>, ProblemHttpResult, IResult>> ReceiveAsync(
        string channel,
        ChannelMessage message,
        HttpRequest request,
        ApiKeyFilter apiKey,
        ChannelService channels,
        ConversationService conversations,
        FlowCatalog catalog,
        FlowRuntimeDbContext db,
        CancellationToken ct)
    {
        var secret = request.Headers[SecretHeader].ToString();
        if (!apiKey.IsManagementKey(request) && (secret.Length == 0 || !await channels.IsValidSecretAsync(channel, secret, ct)))
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized",
                $"Send the channel's secret in the {SecretHeader} header (or the management key in X-Api-Key).");
        }

        if (string.IsNullOrWhiteSpace(message.ConversationId) || message.ConversationId.Length > 200)
        {
            return Problems.Validation("invalid_message", "conversationId is required (at most 200 characters).");
        }

        try
        {
            var result = await conversations.HandleAsync(channel, message.ConversationId, message.Text ?? "", message.Contact, variables: null,
                (waiting, token) => waiting is null
                    ? catalog.GetForChannelAsync(db, channel, token)
                    : catalog.GetVersionAsync(db, waiting.FlowId, waiting.Version, token),
                ct);
            return result is null
                ? Problems.Create(StatusCodes.Status404NotFound, "no_published_flow", "No flow", $"No published flow listens on channel '{channel}'.")
                : TypedResults.Ok(new ChannelReply(message.ConversationId, result.Instance.Id, result.Instance.Status, result.Replies, result.Instance.Error));
        }
        catch (FlowValidationException e)
        {
            return FlowsApi.Invalid(e);
        }
    }

    private static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 100 } && name[0] != '_' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public sealed record CreateChannelRequest(string? Name);
}
