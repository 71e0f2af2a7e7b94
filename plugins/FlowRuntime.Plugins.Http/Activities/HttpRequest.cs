using System.Globalization;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Plugins.Http.Internal;

namespace FlowRuntime.Plugins.Http.Activities;

/// <remarks>
/// Outcomes are static per type (the designer draws ports from the registry), so the common statuses are declared
/// as ports. A status port is taken only when the flow connects it; otherwise the step leaves through
/// <c>Success</c> (an expected status) or <c>Failure</c>, and <c>Timeout</c> falls back to <c>Failure</c> the same way.
/// </remarks>
[Activity("HttpRequest", DisplayName = "HTTP Request", Category = "Integrations",
    Description = "Sends an HTTP request (optionally through an OAuth integration) and saves status code, headers and body " +
                  "(JSON as an object, else text) in a variable. A connected status port (200, 404, ...) wins; otherwise " +
                  "Success for an expected status (2xx unless listed), Failure with the reason in {{<step id>.error}}.",
    DeferredTemplateRoots = ["oauth"])]
[Outcomes(OutcomeNames.Success, "200", "201", "204", "400", "401", "403", "404", "429", "500", OutcomeNames.Failure, OutcomeNames.Timeout)]
public sealed class HttpRequest(IIntegrationConnections connections) : Activity
{
    /// <summary>The status codes that have a port; keep in step with <see cref="OutcomesAttribute"/> above.</summary>
    internal static readonly IReadOnlySet<int> StatusPorts = new HashSet<int> { 200, 201, 204, 400, 401, 403, 404, 429, 500 };

    [Input(DisplayName = "OAuth integration", UIHint = UIHints.Integration,
        Description = "The authorized integration whose token is sent (stored by id). Empty for a public API.")]
    public string? Integration { get; set; }

    [Input(Options = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], DefaultValue = "GET")]
    public string Method { get; set; } = "GET";

    [Input(DisplayName = "URL", Required = true, Description = "Absolute http(s) URL; {{variables}} and {{oauth.x}} are filled in.")]
    public string Url { get; set; } = "";

    [Input(Description = "Request headers. Authorization is added by the integration.")]
    public IReadOnlyDictionary<string, string>? Headers { get; set; }

    [Input(UIHint = UIHints.Json, Description = "Request body: JSON, or text.")]
    public JsonNode? Body { get; set; }

    [Input(DisplayName = "Content type",
        Description = "Defaults to application/json for JSON bodies. application/x-www-form-urlencoded sends a JSON object as a form.")]
    public string? ContentType { get; set; }

    [Input(DisplayName = "Timeout (seconds)", DefaultValue = 30, Description = "No answer within this time leaves through Timeout. 0 leaves it to the integration's pipeline.")]
    public int TimeoutSeconds { get; set; } = 30;

    [Input(DisplayName = "Expected status codes", Description = "Statuses that count as Success, e.g. 200, 404. Empty: any 2xx.")]
    public IReadOnlyList<int>? ExpectedStatusCodes { get; set; }

    [Input(DisplayName = "Save response as",
        Description = "Variable that receives {statusCode, headers, body}, e.g. response → {{response.body.data.name}}.")]
    public string? SaveResponseAs { get; set; }

    public override async ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        var timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : (TimeSpan?)null;
        var result = await HttpCall.SendAsync(connections, context,
            new HttpCallSpec(Integration, Method, Url, Headers, Body, ContentType, timeout, ExpectedStatusCodes)).ConfigureAwait(false);
        var response = result.Response;
        if (response is not null && !string.IsNullOrWhiteSpace(SaveResponseAs))
        {
            context.Variables[SaveResponseAs.Trim()] = response.ToJson();
        }

        StepResult.Write(context, response?.StatusCode, result.Error);
        if (response is null)
        {
            var timedOut = result.Error?.Code == HttpErrorCodes.Timeout;
            return new Outcome(timedOut && context.IsConnected(OutcomeNames.Timeout) ? OutcomeNames.Timeout : OutcomeNames.Failure);
        }

        var statusPort = response.StatusCode.ToString(CultureInfo.InvariantCulture);
        if (StatusPorts.Contains(response.StatusCode) && context.IsConnected(statusPort))
        {
            return new Outcome(statusPort);
        }

        return new Outcome(response.IsExpected ? OutcomeNames.Success : OutcomeNames.Failure);
    }
}
