namespace FlowRuntime.Persistence.Entities;

/// <summary>A pending authorization request: single-use, expiring state bound to one integration (RFC 6749 §10.12).</summary>
public sealed class OAuthStateEntity
{
    /// <summary>SHA-256 of the state value sent to the provider (the value itself is not stored).</summary>
    public required string StateHash { get; set; }

    public required string IntegrationId { get; set; }

    /// <summary>The PKCE code verifier (RFC 7636), protected.</summary>
    public string? ProtectedCodeVerifier { get; set; }

    /// <summary>The redirect_uri sent in the authorization request; the token request must repeat it (RFC 6749 §4.1.3).</summary>
    public required string RedirectUri { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}
