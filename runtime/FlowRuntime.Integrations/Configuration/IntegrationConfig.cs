using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FlowRuntime.Integrations.Configuration;

/// <summary>The non-secret provider configuration of an integration, stored as JSON on its row.</summary>
internal sealed record IntegrationConfig
{
    public string? ClientId { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public string? AuthorizationUrl { get; init; }
    public string? TokenUrl { get; init; }
    public string? RevocationUrl { get; init; }
    public string? Issuer { get; init; }
    public string? Preset { get; init; }
    public string? Variant { get; init; }
    public string? ApiBaseUrl { get; init; }
    public IReadOnlyDictionary<string, string> AuthorizeParams { get; init; } = new Dictionary<string, string>();
    public string ClientAuth { get; init; } = "basic";
    public bool UsePkce { get; init; } = true;
    public string ScopeSeparator { get; init; } = " ";
    public int? RefreshBufferSeconds { get; init; }
    public string? SuccessRedirectUrl { get; init; }
    public string? FailureRedirectUrl { get; init; }
    public TokenRequestOptions? TokenRequest { get; init; }
    public ExpirySignalOptions? ExpirySignal { get; init; }
    public string? AuthorizationScheme { get; init; }
    public JsonObject? Definition { get; init; }

    /// <summary>The base URL the callback URL was built from when no public base URL is configured.</summary>
    public string? CallbackBaseUrl { get; init; }

    [JsonIgnore]
    public JsonObject? OAuthTemplate => Definition?["oauth"] as JsonObject;

    [JsonIgnore]
    public bool WithoutCode => OAuthTemplate?["without_code"] is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : string.Equals(v.ToString(), "true", StringComparison.OrdinalIgnoreCase));

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    public static IntegrationConfig Deserialize(string json) => JsonSerializer.Deserialize<IntegrationConfig>(json, Json) ?? new IntegrationConfig();
}
