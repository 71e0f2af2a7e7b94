using System.Text.Json.Nodes;

namespace FlowRuntime.Abstractions.Integrations;

/// <summary>
/// How a step calls a third-party API through an OAuth integration without ever seeing a credential.
/// Implemented by the host's integrations module; steps take it by constructor injection.
/// </summary>
public interface IIntegrationConnections
{
    /// <summary>
    /// An <see cref="HttpClient"/> for calls to third-party APIs, with the host's outbound pipeline (address
    /// guard, retries of idempotent requests, timeouts). With an integration id its requests carry the
    /// integration's access token: refreshed ahead of expiry, and on 401 refreshed once and retried once; it
    /// never sends such a request without a token but throws <see cref="IntegrationUnavailableException"/>.
    /// With null it is a plain client. Do not dispose the handler: the client is cheap, the handler pooled.
    /// </summary>
    HttpClient CreateClient(string? integrationId);

    /// <summary>
    /// Values for <c>{{ oauth.x }}</c> templates: fields saved from the token response (e.g. <c>instance_url</c>,
    /// <c>api_domain</c>) and the preset's <c>api_base_url</c>. Null when the integration does not exist.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, JsonNode?>?> GetTemplateValuesAsync(string integrationId, CancellationToken cancellationToken);

    /// <summary>Records a use of the connection: health turns green or red and the integration's log gets an entry.</summary>
    ValueTask RecordUseAsync(string integrationId, IntegrationUse use, CancellationToken cancellationToken);
}

/// <summary>One call made through an integration. <see cref="Error"/> must not contain secrets.</summary>
public sealed record IntegrationUse(bool Success, int? HttpStatus, TimeSpan Duration, string? Error, string? Description = null);

/// <summary>No token can be had for the integration (not authorized, needs re-authorization, disconnected, unknown).</summary>
public sealed class IntegrationUnavailableException(string integrationId, string code, string message) : Exception(message)
{
    public string IntegrationId { get; } = integrationId;

    /// <summary>Stable code: <c>integration_not_found</c>, <c>integration_not_authorized</c>, <c>needs_reauthorization</c>, <c>token_request_failed</c>.</summary>
    public string Code { get; } = code;
}
