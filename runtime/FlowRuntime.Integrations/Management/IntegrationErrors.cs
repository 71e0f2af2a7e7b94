namespace FlowRuntime.Integrations;

internal static class IntegrationErrors
{
    public static IntegrationError NotFound(string id) =>
        new(404, "not_found", "Integration not found", $"There is no integration '{id}'.");
}
