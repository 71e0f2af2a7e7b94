namespace FlowRuntime.Persistence.Entities;

/// <summary>The tokens of an integration, protected at rest; one row per integration.</summary>
public sealed class IntegrationConnectionEntity
{
    public required string IntegrationId { get; set; }

    public string? ProtectedAccessToken { get; set; }

    public string? ProtectedRefreshToken { get; set; }

    /// <summary>Other fields of the token response (instance_url, api_domain, ...) as protected JSON.</summary>
    public string? ProtectedFields { get; set; }

    /// <summary>Null when the provider says nothing and the integration treats the token as permanent.</summary>
    public DateTime? ExpiresAt { get; set; }

    public DateTime ObtainedAt { get; set; }

    /// <summary>Optimistic concurrency: every write increments it, so two hosts never silently overwrite a rotated refresh token.</summary>
    public int Version { get; set; }
}
