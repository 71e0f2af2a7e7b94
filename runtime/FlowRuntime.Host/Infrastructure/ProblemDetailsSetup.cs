using Microsoft.AspNetCore.Diagnostics;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>Every error leaves as problem details with a <c>code</c>; unexpected ones say nothing internal.</summary>
internal static class ProblemDetailsSetup
{
    public static IServiceCollection AddFlowRuntimeProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Extensions.ContainsKey("code"))
            {
                return;
            }

            var error = context.HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
            (problem.Extensions["code"], problem.Detail) = (error, problem.Status) switch
            {
                (BadHttpRequestException bad, _) => ((object?)"invalid_request", bad.Message),
                (_, 401) => ("unauthorized", "Send the management API key in the X-Api-Key header."),
                (_, 404) => ("not_found", problem.Detail),
                (_, 405) => ("method_not_allowed", problem.Detail),
                (_, >= 500) => ("internal_error", "Something went wrong on our side; the server log has the details."),
                _ => ("bad_request", problem.Detail),
            };
        });

    /// <summary>Malformed JSON bodies are the client's fault: 400, not 500.</summary>
    public static IApplicationBuilder UseFlowRuntimeExceptionHandler(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
}
