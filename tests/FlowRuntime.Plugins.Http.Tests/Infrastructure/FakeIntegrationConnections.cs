using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;

namespace FlowRuntime.Plugins.Http.Tests.Infrastructure;

/// <summary>
/// The <see cref="IIntegrationConnections"/> contract as the steps see it, without OAuth: integrations are set up
/// by the test with a token and template values; clients come from the host's guarded <see cref="IHttpClientFactory"/>.
/// </summary>
internal sealed class FakeIntegrationConnections(IHttpClientFactory clients) : IIntegrationConnections
{
    private readonly ConcurrentDictionary<string, FakeIntegration> _integrations = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string IntegrationId, IntegrationUse Use)> Uses { get; } = new();

    public FakeIntegration Add(string id, string token, Dictionary<string, JsonNode?>? templateValues = null) =>
        _integrations[id] = new FakeIntegration(token, templateValues ?? []);

    public HttpClient CreateClient(string? integrationId)
    {
        var client = clients.CreateClient("test-outbound");
        if (integrationId is null)
        {
            return client;
        }

        var integration = Find(integrationId);
        if (integration.UnavailableCode is { } code)
        {
            throw new IntegrationUnavailableException(integrationId, code, "The connection needs to be authorized again by an admin.");
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", integration.Token);
        return client;
    }

    public ValueTask<IReadOnlyDictionary<string, JsonNode?>?> GetTemplateValuesAsync(string integrationId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_integrations.TryGetValue(integrationId, out var integration)
            ? (IReadOnlyDictionary<string, JsonNode?>?)integration.TemplateValues
            : null);

    public ValueTask RecordUseAsync(string integrationId, IntegrationUse use, CancellationToken cancellationToken)
    {
        Uses.Enqueue((integrationId, use));
        return ValueTask.CompletedTask;
    }

    private FakeIntegration Find(string id) =>
        _integrations.TryGetValue(id, out var integration)
            ? integration
            : throw new IntegrationUnavailableException(id, "integration_not_found", $"Integration '{id}' does not exist.");
}

internal sealed class FakeIntegration(string token, Dictionary<string, JsonNode?> templateValues)
{
    public string Token { get; } = token;

    public Dictionary<string, JsonNode?> TemplateValues { get; } = templateValues;

    /// <summary>When set, <c>CreateClient</c> throws <see cref="IntegrationUnavailableException"/> with this code.</summary>
    public string? UnavailableCode { get; set; }
}
