using System.Text.Json.Nodes;

namespace FlowRuntime.Integrations;

/// <summary>Grant types, statuses and health colours: stable strings of the management API.</summary>
public static class IntegrationConstants
{
    public const string AuthorizationCode = "authorization_code";
    public const string ClientCredentials = "client_credentials";

    public const string Incomplete = "incomplete";
    public const string Authorized = "authorized";
    public const string Error = "error";
    public const string NeedsReauthorization = "needs_reauthorization";
    public const string Disconnected = "disconnected";

    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";
}

/// <summary>Create/update body of <c>/api/integrations</c>. <see cref="ClientSecret"/> and <see cref="Variables"/> are write-only.</summary>
public sealed record IntegrationRequest
{
    public string? Name { get; init; }

    public string? GrantType { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public string? AuthorizationUrl { get; init; }

    public string? TokenUrl { get; init; }

    public string? RevocationUrl { get; init; }

    /// <summary>OpenID Connect / RFC 8414 issuer: discovery fills the endpoints and PKCE support.</summary>
    public string? Issuer { get; init; }

    public string? Preset { get; init; }

    /// <summary>The preset's variant, e.g. Zoho's data centre (<c>com</c>, <c>eu</c>, <c>in</c>, <c>com.au</c>, <c>jp</c>).</summary>
    public string? Variant { get; init; }

    public IReadOnlyDictionary<string, string>? AuthorizeParams { get; init; }

    /// <summary><c>basic</c> (RFC 6749 §2.3.1 header, default) or <c>body</c>.</summary>
    public string? ClientAuth { get; init; }

    public bool? UsePkce { get; init; }

    public string? ScopeSeparator { get; init; }

    /// <summary>Refresh this long before expiry; 0 for providers that reject refreshing a still-valid token.</summary>
    public int? RefreshBufferSeconds { get; init; }

    public string? SuccessRedirectUrl { get; init; }

    public string? FailureRedirectUrl { get; init; }

    public TokenRequestOptions? TokenRequest { get; init; }

    public ExpirySignalOptions? ExpirySignal { get; init; }

    /// <summary>Scheme of the Authorization header on API calls: <c>Bearer</c> (RFC 6750, default) or e.g. Zoho's <c>Zoho-oauthtoken</c>.</summary>
    public string? AuthorizationScheme { get; init; }

    /// <summary>A templated definition (<c>{"oauth": {"authenticate_url", "access_token", "refresh", "without_code"}}</c>).</summary>
    public JsonObject? Definition { get; init; }

    /// <summary>Integration variables for a templated definition (<c>CLIENT_ID</c>, <c>CLIENT_SECRET</c>, ...); write-only.</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }
}

/// <summary>How the token endpoint is called and how its answer is read (provider quirks as data).</summary>
public sealed record TokenRequestOptions
{
    /// <summary><c>application/x-www-form-urlencoded</c> (default) or <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public IReadOnlyDictionary<string, string>? Body { get; init; }

    public IReadOnlyDictionary<string, string>? Query { get; init; }

    /// <summary>The grant_type value of a client-credentials request (default <c>client_credentials</c>).</summary>
    public string? GrantTypeValue { get; init; }

    /// <summary>Where the access token is in the response; a dotted path such as <c>authed_user.access_token</c>.</summary>
    public string? TokenPath { get; init; }

    public string? RefreshTokenPath { get; init; }

    public string? ExpiresInPath { get; init; }

    /// <summary><c>seconds</c> (RFC 6749 §5.1, default) or <c>milliseconds</c>.</summary>
    public string? ExpiresInUnit { get; init; }

    /// <summary>Lifetime assumed when the response has no expiry; null means the token lasts until the API rejects it.</summary>
    public int? DefaultLifetimeSeconds { get; init; }

    /// <summary><c>auto</c> (default: JSON, form or a bare token, whatever the body is), <c>json</c>, <c>form</c> or <c>text</c>.</summary>
    public string? ResponseFormat { get; init; }
}

/// <summary>How an API says the access token expired.</summary>
public sealed record ExpirySignalOptions
{
    /// <summary>Statuses that mean "token expired" (default 401).</summary>
    public IReadOnlyList<int>? StatusCodes { get; init; }

    /// <summary>A regular expression matched against 2xx bodies (e.g. Slack's <c>"error":"token_expired"</c>).</summary>
    public string? BodyPattern { get; init; }
}

/// <summary>An integration as the management API shows it (never a secret or token).</summary>
public sealed record IntegrationDetails
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string GrantType { get; init; }
    public required string Status { get; init; }
    public required string Health { get; init; }
    public required string CallbackUrl { get; init; }
    public string? ClientId { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public string? AuthorizationUrl { get; init; }
    public string? TokenUrl { get; init; }
    public string? RevocationUrl { get; init; }
    public string? Issuer { get; init; }
    public string? Preset { get; init; }
    public string? Variant { get; init; }
    public string? ApiBaseUrl { get; init; }
    public required IReadOnlyDictionary<string, string> AuthorizeParams { get; init; }
    public required string ClientAuth { get; init; }
    public bool UsePkce { get; init; }
    public string? ScopeSeparator { get; init; }
    public int? RefreshBufferSeconds { get; init; }
    public string? SuccessRedirectUrl { get; init; }
    public string? FailureRedirectUrl { get; init; }
    public TokenRequestOptions? TokenRequest { get; init; }
    public ExpirySignalOptions? ExpirySignal { get; init; }
    public string? AuthorizationScheme { get; init; }
    public JsonObject? Definition { get; init; }
    public required IReadOnlyList<string> VariableNames { get; init; }
    public string? LastError { get; init; }
    public bool HasClientSecret { get; init; }
    public DateTimeOffset? TokenExpiresAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>One connection-log entry.</summary>
public sealed record IntegrationLogEntry(DateTimeOffset At, string Kind, bool Success, long? DurationMs, int? HttpStatus, string? Error, string? Message);

/// <summary>A failure of a management operation, mapped by the host to problem details with <see cref="Code"/>.</summary>
public sealed record IntegrationError(int Status, string Code, string Title, string Detail, IReadOnlyList<string>? Errors = null);

/// <summary>A value or an <see cref="IntegrationError"/>: expected failures are values, not exceptions.</summary>
public readonly record struct IntegrationResult<T>(T? Value, IntegrationError? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator IntegrationResult<T>(T value) => new(value, null);

    public static implicit operator IntegrationResult<T>(IntegrationError error) => new(default, error);
}

/// <summary>A provider preset from <c>Presets/providers.json</c>.</summary>
public sealed record ProviderPreset
{
    public required string Key { get; init; }
    public required string DisplayName { get; init; }
    public required string AuthorizationUrl { get; init; }
    public required string TokenUrl { get; init; }
    public string? RevocationUrl { get; init; }
    public IReadOnlyList<string>? Scopes { get; init; }
    public string? ScopeSeparator { get; init; }
    public IReadOnlyDictionary<string, string>? AuthorizeParams { get; init; }
    public string? ClientAuth { get; init; }
    public bool? UsePkce { get; init; }
    public string? ApiBaseUrl { get; init; }
    public TokenRequestOptions? TokenRequest { get; init; }
    public ExpirySignalOptions? ExpirySignal { get; init; }
    public string? AuthorizationScheme { get; init; }
    public int? RefreshBufferSeconds { get; init; }
    public string? Notes { get; init; }
    public IReadOnlyList<ProviderVariant>? Variants { get; init; }
}

/// <summary>A preset variant such as a Zoho data centre: its own OAuth URLs and API base URL.</summary>
public sealed record ProviderVariant
{
    public required string Key { get; init; }
    public required string DisplayName { get; init; }
    public required string AuthorizationUrl { get; init; }
    public required string TokenUrl { get; init; }
    public string? RevocationUrl { get; init; }
    public string? ApiBaseUrl { get; init; }
}
