using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Http;
using FlowRuntime.Integrations.Storage;

namespace FlowRuntime.Integrations;

/// <summary>The steps' view of integrations: authorized clients, <c>{{ oauth.x }}</c> values, use recording.</summary>
internal sealed class IntegrationConnections(IHttpMessageHandlerFactory handlers, IHttpClientFactory clients, IntegrationRepository repository) : IIntegrationConnections
{
    public const string PlainClient = "FlowRuntime.Integrations.Outbound";
    public const string AuthorizedClient = "FlowRuntime.Integrations.Authorized";

    /// <summary>Tokens never go to flows: steps get the other saved fields.</summary>
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "access_token", "refresh_token", "id_token" };

    public HttpClient CreateClient(string? integrationId) =>
        integrationId is null
            ? clients.CreateClient(PlainClient)
            : new HttpClient(new IntegrationIdHandler(integrationId, handlers.CreateHandler(AuthorizedClient)), disposeHandler: false);

    public async ValueTask<IReadOnlyDictionary<string, JsonNode?>?> GetTemplateValuesAsync(string integrationId, CancellationToken cancellationToken)
    {
        var integration = await repository.LoadAsync(integrationId, cancellationToken);
        if (integration is null)
        {
            return null;
        }

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (await repository.LoadTokenAsync(integrationId, cancellationToken) is { } token)
        {
            foreach (var (key, value) in token.Fields)
            {
                if (!Hidden.Contains(key))
                {
                    values[key] = value?.DeepClone();
                }
            }
        }

        if (integration.Config.ApiBaseUrl is { } apiBase)
        {
            values["api_base_url"] = apiBase;
        }

        return values;
    }

    public async ValueTask RecordUseAsync(string integrationId, IntegrationUse use, CancellationToken cancellationToken)
    {
        await repository.SetStatusAsync(integrationId, null, use.Success ? IntegrationConstants.Green : IntegrationConstants.Red, null, cancellationToken, used: true);
        await repository.LogAsync(integrationId, "api_call", use.Success, use.Duration, use.HttpStatus, use.Error, use.Description, cancellationToken);
    }
}
