using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>
/// <see cref="IIntegrationConnections"/> for a host without an integrations module: plain calls go through the
/// guarded outbound client; a step that names an integration gets "authorization needed" instead of an unsigned
/// request. Registered with TryAdd, so the integrations module's implementation wins.
/// </summary>
internal sealed class PlainIntegrationConnections(IHttpClientFactory clients) : IIntegrationConnections
{
    public HttpClient CreateClient(string? integrationId) => integrationId is null
        ? clients.CreateClient(OutboundHttp.PlainClientName)
        : throw new IntegrationUnavailableException(integrationId, "integration_not_found", $"Integration '{integrationId}' does not exist.");

    public ValueTask<IReadOnlyDictionary<string, JsonNode?>?> GetTemplateValuesAsync(string integrationId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, JsonNode?>?>(null);

    public ValueTask RecordUseAsync(string integrationId, IntegrationUse use, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
