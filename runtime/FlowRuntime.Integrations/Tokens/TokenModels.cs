using System.Text.Json.Nodes;

namespace FlowRuntime.Integrations.Tokens;

/// <summary>A token endpoint's successful answer, normalised.</summary>
internal sealed record TokenGrant(string AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt, IReadOnlyDictionary<string, JsonNode?> Fields);

/// <summary>A failed token request. <see cref="ProviderError"/> is the RFC 6749 §5.2 code (e.g. <c>invalid_grant</c>).</summary>
internal sealed record TokenFailure(int? HttpStatus, string? ProviderError, string Message)
{
    public bool IsInvalidGrant => ProviderError is "invalid_grant";
}

/// <summary>A token endpoint call: what was sent (secret-free description) and its outcome.</summary>
internal sealed record TokenCallResult(TokenGrant? Grant, TokenFailure? Failure, int? HttpStatus, TimeSpan Duration);

/// <summary>The outcome of asking for an access token: a value or a stable error code, never an exception.</summary>
internal readonly record struct TokenResult(string? AccessToken, string? ErrorCode, string? Error, ApiAuthentication? Api)
{
    public bool Succeeded => AccessToken is not null;

    public static TokenResult Success(string token, ApiAuthentication api) => new(token, null, null, api);

    public static TokenResult Fail(string code, string message) => new(null, code, message, null);
}

/// <summary>How API calls carry the token and how the API says it expired.</summary>
internal sealed record ApiAuthentication(string Scheme, ExpirySignalOptions? ExpirySignal)
{
    public static ApiAuthentication From(Configuration.IntegrationConfig config) => new(config.AuthorizationScheme ?? "Bearer", config.ExpirySignal);
}

/// <summary>A token request to send: URL, method, parameters (form or JSON), headers and client authentication.</summary>
internal sealed record TokenHttpRequest(
    string Url,
    HttpMethod Method,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    bool JsonBody,
    IReadOnlyDictionary<string, string> Headers,
    string? BasicUser,
    string? BasicPassword);
