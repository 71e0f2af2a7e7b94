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

    public HttpClient CreateClient(string? integrationId) =>
        integrationId is null
            ? clients.CreateClient(PlainClient)
            : new HttpClient(new IntegrationIdHandler(integrationId, handlers.CreateHandler(AuthorizedClient)), disposeHandler: false);

    public ValueTask<IReadOnlyDictionary<string, JsonNode?>?> GetTemplateValuesAsync(string integrationId, CancellationToken cancellationToken) =>
        repository.TemplateValuesAsync(integrationId, cancellationToken);

    public async ValueTask RecordUseAsync(string integrationId, IntegrationUse use, CancellationToken cancellationToken)
    {
        await repository.RecordUseAsync(integrationId, use.Success ? IntegrationConstants.Green : IntegrationConstants.Red, cancellationToken);
        await repository.LogAsync(integrationId, "api_call", use.Success, use.Duration, use.HttpStatus, use.Error, use.Description, cancellationToken);
    }
}
