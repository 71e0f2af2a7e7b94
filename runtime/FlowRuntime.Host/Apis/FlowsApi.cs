using FlowRuntime.Engine.Definitions;
using FlowRuntime.Host.Conversations;
using FlowRuntime.Host.Flows;
using FlowRuntime.Host.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlowRuntime.Host.Apis;

public static class FlowsApi
{
    /// <summary>Test runs from the designer live on this reserved channel, apart from real conversations.</summary>
    public const string TestChannel = "__test__";

    public static RouteGroupBuilder MapFlowsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/flows").WithTags("Flows");
        group.MapGet("/", (FlowService flows, CancellationToken ct) => flows.ListAsync(ct));
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id}", async Task<Results<Ok<FlowDetails>, ProblemHttpResult>> (string id, FlowService flows, CancellationToken ct) =>
            await flows.GetAsync(id, ct) is { } flow ? TypedResults.Ok(flow) : Problems.NotFound("Flow", id));
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, FlowService flows, CancellationToken ct) =>
            await flows.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("Flow", id));
        group.MapPost("/{id}/publish", PublishAsync);
        group.MapPost("/{id}/unpublish", async Task<Results<NoContent, ProblemHttpResult>> (string id, FlowService flows, CancellationToken ct) =>
            await flows.UnpublishAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("Flow", id));
        group.MapGet("/{id}/versions", (string id, FlowService flows, CancellationToken ct) => flows.VersionsAsync(id, ct));
        group.MapGet("/{id}/versions/{version:int}", async Task<Results<Ok<FlowDefinition>, ProblemHttpResult>> (string id, int version, FlowService flows, CancellationToken ct) =>
            await flows.GetVersionAsync(id, version, ct) is { } definition ? TypedResults.Ok(definition) : Problems.NotFound("Flow version", $"{id} v{version}"));
        group.MapPost("/{id}/run", RunAsync);
        return api;
    }

    private static async Task<Results<Created<FlowDetails>, ProblemHttpResult>> CreateAsync(FlowDefinition definition, FlowService flows, CancellationToken ct)
    {
        if (CheckShape(definition) is { } problem)
        {
            return problem;
        }

        if (definition.Id is { Length: > 0 } id && await flows.GetAsync(id, ct) is not null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "flow_exists", "Flow exists", $"A flow with id '{id}' already exists; use PUT to change it.");
        }

        var created = await flows.CreateAsync(definition, ct);
        return TypedResults.Created($"/api/flows/{created.Id}", created);
    }

    private static async Task<Results<Ok<FlowDetails>, ProblemHttpResult>> UpdateAsync(string id, FlowDefinition definition, FlowService flows, CancellationToken ct)
    {
        if (CheckShape(definition) is { } problem)
        {
            return problem;
        }

        return await flows.UpdateAsync(id, definition, ct) is { } updated ? TypedResults.Ok(updated) : Problems.NotFound("Flow", id);
    }

    private static async Task<Results<Ok<PublishResult>, ProblemHttpResult>> PublishAsync(string id, FlowService flows, CancellationToken ct)
    {
        try
        {
            return await flows.PublishAsync(id, ct) is { } published ? TypedResults.Ok(published) : Problems.NotFound("Flow", id);
        }
        catch (FlowValidationException e)
        {
            return Invalid(e);
        }
        catch (ChannelInUseException e)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "channel_in_use", "Channel in use", e.Message);
        }
    }

    /// <summary>Runs the saved draft: a new test conversation, or the next message of one (same <c>conversationId</c>).</summary>
    private static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> RunAsync(
        string id, RunRequest? request, FlowService flows, ConversationService conversations, CancellationToken ct)
    {
        request ??= new RunRequest(null, null, null);
        try
        {
            var result = await conversations.HandleAsync(TestChannel, $"{id}:{request.ConversationId ?? Guid.NewGuid().ToString("n")}",
                request.Text, contact: null, request.Variables,
                async (_, token) => await flows.CompileDraftAsync(id, token), ct,
                journalVariables: true); // the test panel shows the variables after each step

            return result is null ? Problems.NotFound("Flow", id) : TypedResults.Ok(RunResponse.From(result));
        }
        catch (FlowValidationException e)
        {
            return Invalid(e);
        }
    }

    internal static ProblemHttpResult Invalid(FlowValidationException e) =>
        Problems.Validation("flow_invalid", $"The flow has {e.Errors.Count} problem(s) to fix.", e.Errors);

    private static ProblemHttpResult? CheckShape(FlowDefinition definition)
    {
        if (string.IsNullOrWhiteSpace(definition.Name))
        {
            return Problems.Validation("flow_invalid", "The flow needs a name.", new[] { new FlowValidationError(FlowErrorCodes.MissingName, "The flow needs a name.") });
        }

        if (definition.Id is { Length: > 0 } id && !FlowService.IsValidId(id))
        {
            return Problems.Validation("invalid_flow_id", $"Flow id '{id}' must be lower-case letters, digits, '-' or '_' (at most 100).");
        }

        return null;
    }
}
