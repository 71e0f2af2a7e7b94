using FlowRuntime.Host.Infrastructure;
using FlowRuntime.Integrations;
using FlowRuntime.Integrations.Authorization;
using FlowRuntime.Integrations.Management;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FlowRuntime.Host.Apis;

public static partial class IntegrationsApi
{
    /// <summary>Integration management (behind the API key).</summary>
    public static RouteGroupBuilder MapIntegrationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/integrations").WithTags("Integrations");
        group.MapGet("/", ListAsync);
        group.MapGet("/presets", (HttpContext context) => TypedResults.Ok(context.RequestServices.GetRequiredService<IntegrationManager>().Presets));
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/authorize", AuthorizeAsync);
        group.MapPost("/{id}/connect", ConnectAsync);
        group.MapPost("/{id}/disconnect", DisconnectAsync);
        group.MapGet("/{id}/logs", LogsAsync);
        return api;
    }

    /// <summary>The provider's redirect back: not behind the API key (the browser comes from the provider), never a 500 page.</summary>
    public static IEndpointRouteBuilder MapOAuthCallback(this IEndpointRouteBuilder app)
    {
        app.MapGet("/oauth/callback/{integrationId}", CallbackAsync).WithTags("Integrations").ExcludeFromDescription();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<IntegrationDetails>>> ListAsync(string? status, HttpContext context, CancellationToken ct) =>
        TypedResults.Ok(await Manager(context).ListAsync(status, BaseUrl(context.Request), ct));

    private static async Task<Results<Created<IntegrationDetails>, ProblemHttpResult>> CreateAsync(IntegrationRequest request, HttpContext context, CancellationToken ct)
    {
        var result = await Manager(context).CreateAsync(request, BaseUrl(context.Request), ct);
        return result.Error is { } error ? Problem(error) : TypedResults.Created($"/api/integrations/{result.Value!.Id}", result.Value);
    }

    private static async Task<Results<Ok<IntegrationDetails>, ProblemHttpResult>> GetAsync(string id, HttpContext context, CancellationToken ct) =>
        await Manager(context).GetAsync(id, BaseUrl(context.Request), ct) is { } details ? TypedResults.Ok(details) : Problems.NotFound("Integration", id);

    private static async Task<Results<Ok<IntegrationDetails>, ProblemHttpResult>> UpdateAsync(string id, IntegrationRequest request, HttpContext context, CancellationToken ct) =>
        ToResult(await Manager(context).UpdateAsync(id, request, BaseUrl(context.Request), ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext context, CancellationToken ct) =>
        await Manager(context).DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("Integration", id);

    /// <summary>
    /// 302 to the provider; with <c>Accept: application/json</c> the URL as JSON instead, because the designer
    /// cannot send the API key on a browser navigation (and must never put it in a URL).
    /// </summary>
    private static async Task<Results<RedirectHttpResult, Ok<AuthorizationUrlResponse>, ProblemHttpResult>> AuthorizeAsync(string id, HttpContext context, CancellationToken ct)
    {
        var flow = context.RequestServices.GetRequiredService<AuthorizationFlow>();
        var result = await flow.CreateAuthorizationUrlAsync(id, BaseUrl(context.Request), ct);
        if (result.Error is { } error)
        {
            return Problem(error);
        }

        var wantsJson = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
        return wantsJson ? TypedResults.Ok(new AuthorizationUrlResponse(result.Value!)) : TypedResults.Redirect(result.Value!);
    }

    private static async Task<Results<Ok<IntegrationDetails>, ProblemHttpResult>> ConnectAsync(string id, HttpContext context, CancellationToken ct) =>
        ToResult(await Manager(context).ConnectAsync(id, BaseUrl(context.Request), ct));

    private static async Task<Results<Ok<IntegrationDetails>, ProblemHttpResult>> DisconnectAsync(string id, HttpContext context, CancellationToken ct) =>
        ToResult(await Manager(context).DisconnectAsync(id, BaseUrl(context.Request), ct));

    private static async Task<Results<Ok<IReadOnlyList<IntegrationLogEntry>>, ProblemHttpResult>> LogsAsync(string id, int? limit, HttpContext context, CancellationToken ct) =>
        await Manager(context).LogsAsync(id, limit ?? 100, ct) is { } logs ? TypedResults.Ok(logs) : Problems.NotFound("Integration", id);

    private static async Task<RedirectHttpResult> CallbackAsync(string integrationId, HttpContext context, CancellationToken ct)
    {
        var baseUrl = BaseUrl(context.Request);
        try
        {
            var query = context.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
            var flow = context.RequestServices.GetRequiredService<AuthorizationFlow>();
            return TypedResults.Redirect(await flow.HandleCallbackAsync(integrationId, query, baseUrl, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogCallbackFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IntegrationsApi)), integrationId, e.GetType().Name);
            var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IntegrationsOptions>>().Value;
            var page = (options.PublicBaseUrl ?? baseUrl).TrimEnd('/') + options.IntegrationsPagePath;
            return TypedResults.Redirect($"{page}?integrationId={Uri.EscapeDataString(integrationId)}&status=error&error=callback_failed");
        }
    }

    private static IntegrationManager Manager(HttpContext context) => context.RequestServices.GetRequiredService<IntegrationManager>();

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    private static Results<Ok<IntegrationDetails>, ProblemHttpResult> ToResult(IntegrationResult<IntegrationDetails> result) =>
        result.Error is { } error ? Problem(error) : TypedResults.Ok(result.Value!);

    private static ProblemHttpResult Problem(IntegrationError error) =>
        Problems.Create(error.Status, error.Code, error.Title, error.Detail, error.Errors);

    public sealed record AuthorizationUrlResponse(string AuthorizationUrl);

    [LoggerMessage(LogLevel.Error, "OAuth callback of integration {IntegrationId} failed ({ExceptionType}).")]
    private static partial void LogCallbackFailed(ILogger logger, string integrationId, string exceptionType);
}
