using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Plugins.Http.Internal;

namespace FlowRuntime.Plugins.Http.Activities;

[Activity("FetchVariables", DisplayName = "Fetch Variables", Category = "Integrations",
    Description = "Calls an API (optionally through an OAuth integration) and maps values from its JSON answer into variables, " +
                  "e.g. last_name ← data.last_name. On Failure the reason is in {{<step id>.error}} and its code in {{<step id>.errorCode}}.",
    DeferredTemplateRoots = ["oauth"])]
[Outcomes(OutcomeNames.Success, OutcomeNames.Failure)]
public sealed class FetchVariables(IIntegrationConnections connections) : Activity
{
    [Input(DisplayName = "OAuth integration", UIHint = UIHints.Integration,
        Description = "The authorized integration whose token is sent (stored by id). Empty for a public API.")]
    public string? Integration { get; set; }

    [Input(Options = ["GET", "POST", "PUT", "PATCH", "DELETE"], DefaultValue = "GET")]
    public string Method { get; set; } = "GET";

    [Input(DisplayName = "URL", Required = true,
        Description = "e.g. https://api.focus.teamleader.eu/contacts.info or {{oauth.api_base_url}}/crm/v2/Contacts/{{id}}.")]
    public string Url { get; set; } = "";

    [Input(Description = "Request headers. Authorization is added by the integration.")]
    public IReadOnlyDictionary<string, string>? Headers { get; set; }

    [Input(UIHint = UIHints.Json, Description = "Request body; JSON such as {\"id\": \"{{id}}\"} is sent as application/json.")]
    public JsonNode? Body { get; set; }

    [Input(UIHint = UIHints.Mappings, Required = true,
        Description = "Variable ← JSON path in the answer, e.g. last_name ← data.last_name, first ← data.items[0].id, ids ← $..id.")]
    public IReadOnlyDictionary<string, string> Mappings { get; set; } = new Dictionary<string, string>();

    public override async ValueTask<Outcome> ExecuteAsync(ActivityContext context)
    {
        var result = await HttpCall.SendAsync(connections, context,
            new HttpCallSpec(Integration, Method, Url, Headers, Body, ContentType: null, Timeout: null, ExpectedStatusCodes: null)).ConfigureAwait(false);
        if (result.Error is not null)
        {
            return StepResult.Failure(context, result.Response?.StatusCode, result.Error);
        }

        var response = result.Response!;
        if (Mappings.Count > 0 && !response.IsJson)
        {
            return StepResult.Failure(context, response.StatusCode,
                new HttpCallError(HttpErrorCodes.NotJson, $"The answer ({response.Header("content-type") ?? "no content type"}) is not JSON, so nothing can be mapped."));
        }

        // All or nothing: a half-applied mapping would leave the flow with a mix of fresh and stale values.
        var values = new List<(string Variable, JsonNode? Value)>();
        foreach (var (variable, path) in Mappings)
        {
            bool found;
            JsonNode? value;
            try
            {
                found = context.TryEvaluateJsonPath(response.Body, path, out value);
            }
            catch (ArgumentException e)
            {
                return StepResult.Failure(context, response.StatusCode, new HttpCallError(HttpErrorCodes.InvalidRequest, $"Mapping '{variable}': {e.Message}"));
            }

            if (!found)
            {
                return StepResult.Failure(context, response.StatusCode,
                    new HttpCallError(HttpErrorCodes.MissingPath, $"The answer has no value at '{path}' (for variable '{variable}')."));
            }

            values.Add((variable, value));
        }

        foreach (var (variable, value) in values)
        {
            context.Variables[variable] = value;
        }

        StepResult.Write(context, response.StatusCode, null);
        return new Outcome(OutcomeNames.Success);
    }
}
