using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Configuration;
using FlowRuntime.Integrations.Templates;

namespace FlowRuntime.Integrations.Tokens;

/// <summary>An integration with its secrets decrypted, loaded for one token operation.</summary>
internal sealed record IntegrationSnapshot(
    string Id,
    string Name,
    string GrantType,
    string Status,
    IntegrationConfig Config,
    string? ClientSecret,
    IReadOnlyDictionary<string, string> Variables,
    string CallbackUrl)
{
    public string? ClientId => Config.ClientId ?? Variables.GetValueOrDefault("CLIENT_ID");

    public string? Secret => ClientSecret ?? Variables.GetValueOrDefault("CLIENT_SECRET");

    /// <summary>Values that must never appear in a log or message.</summary>
    public IEnumerable<string> Secrets()
    {
        if (Secret is { } s)
        {
            yield return s;
        }

        foreach (var (key, value) in Variables)
        {
            if (key.Contains("SECRET", StringComparison.OrdinalIgnoreCase) || key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
                || key.Contains("KEY", StringComparison.OrdinalIgnoreCase) || key.Contains("TOKEN", StringComparison.OrdinalIgnoreCase))
            {
                yield return value;
            }
        }
    }
}

/// <summary>Builds token, refresh, client-credentials and revocation requests from the configuration or a templated definition.</summary>
internal static class TokenRequests
{
    public static TokenHttpRequest Exchange(IntegrationSnapshot integration, string? code, string redirectUri, string? codeVerifier)
    {
        if (integration.Config.OAuthTemplate is { } oauth)
        {
            var block = oauth["access_token"] as JsonObject
                ?? throw new InvalidOperationException("The definition has no oauth.access_token request.");
            // The seed's examples leave the code out: the runtime adds it next to the other parameters (RFC 6749 §4.1.3).
            var extra = code is null ? [] : new[] { KeyValuePair.Create("code", code) };
            return FromTemplate(block, TemplateValues(integration, redirectUri, null, null), extra);
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code ?? ""),
            new("redirect_uri", redirectUri),
        };
        if (codeVerifier is not null)
        {
            parameters.Add(new("code_verifier", codeVerifier));
        }

        return Standard(integration, integration.Config.TokenUrl!, parameters, includeExtras: true);
    }

    public static TokenHttpRequest? Refresh(IntegrationSnapshot integration, string? refreshToken, string? accessToken, IReadOnlyDictionary<string, JsonNode?> fields)
    {
        if (integration.Config.OAuthTemplate is { } oauth)
        {
            // No refresh block: the token is permanent (seed 001).
            return oauth["refresh"] is JsonObject block
                ? FromTemplate(block, TemplateValues(integration, integration.CallbackUrl, refreshToken, accessToken, fields), [])
                : null;
        }

        if (refreshToken is null)
        {
            return null;
        }

        return Standard(integration, integration.Config.TokenUrl!, [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], includeExtras: false);
    }

    public static TokenHttpRequest ClientCredentials(IntegrationSnapshot integration)
    {
        var config = integration.Config;
        var parameters = new List<KeyValuePair<string, string>> { new("grant_type", config.TokenRequest?.GrantTypeValue ?? "client_credentials") };
        if (config.Scopes.Count > 0)
        {
            parameters.Add(new("scope", string.Join(config.ScopeSeparator, config.Scopes)));
        }

        return Standard(integration, config.TokenUrl!, parameters, includeExtras: true);
    }

    public static TokenHttpRequest Revocation(IntegrationSnapshot integration, string token, string hint) =>
        // RFC 7009 §2.1: token and token_type_hint, with the client authentication of the token endpoint.
        Standard(integration, integration.Config.RevocationUrl!, [new("token", token), new("token_type_hint", hint)], includeExtras: false, json: false);

    private static TokenHttpRequest Standard(IntegrationSnapshot integration, string url, List<KeyValuePair<string, string>> parameters, bool includeExtras, bool? json = null)
    {
        var config = integration.Config;
        var options = config.TokenRequest;
        if (includeExtras && options?.Body is { } body)
        {
            foreach (var (key, value) in body)
            {
                parameters.RemoveAll(p => p.Key == key);
                parameters.Add(new(key, value));
            }
        }

        if (options?.Query is { Count: > 0 } query)
        {
            url = TokenEndpointClient.AppendQuery(url, query);
        }

        string? basicUser = null, basicPassword = null;
        if (string.Equals(config.ClientAuth, "basic", StringComparison.OrdinalIgnoreCase) && integration.Secret is not null)
        {
            basicUser = integration.ClientId;
            basicPassword = integration.Secret;
        }
        else
        {
            // RFC 6749 §2.3.1 body credentials; a public client (no secret) still identifies itself (§4.1.3).
            if (integration.ClientId is { } id)
            {
                parameters.Add(new("client_id", id));
            }

            if (integration.Secret is { } secret)
            {
                parameters.Add(new("client_secret", secret));
            }
        }

        var isJson = json ?? string.Equals(options?.ContentType, "application/json", StringComparison.OrdinalIgnoreCase);
        return new TokenHttpRequest(url, HttpMethod.Post, parameters, isJson,
            options?.Headers ?? new Dictionary<string, string>(), basicUser, basicPassword);
    }

    private static TokenHttpRequest FromTemplate(JsonObject block, IReadOnlyDictionary<string, string> values, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        var url = DefinitionTemplate.Render(block["url"]?.ToString() ?? throw new InvalidOperationException("A definition request has no url."), values, urlEncode: true);
        var method = new HttpMethod((block["method"]?.ToString() ?? "POST").ToUpperInvariant());
        var parameters = new List<KeyValuePair<string, string>>();
        if (block["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                parameters.Add(new(key, DefinitionTemplate.Render(value?.ToString() ?? "", values, urlEncode: false)));
            }
        }

        if (parameters.Count > 0 || method == HttpMethod.Get)
        {
            parameters.AddRange(extra);
        }
        else if (extra.Count > 0)
        {
            // Everything else is in the URL (the seed's Google example): the code goes there too.
            url = TokenEndpointClient.AppendQuery(url, extra);
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (block["headers"] is JsonObject h)
        {
            foreach (var (key, value) in h)
            {
                headers[key] = DefinitionTemplate.Render(value?.ToString() ?? "", values, urlEncode: false);
            }
        }

        var contentType = block["content_type"]?.ToString() ?? headers.GetValueOrDefault("Content-Type");
        var json = contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        headers.Remove("Content-Type");
        return new TokenHttpRequest(url, method, parameters, json, headers, null, null);
    }

    /// <summary>Values of <c>{{ redirect_url }}</c>, integration variables and <c>{{ oauth.x }}</c>.</summary>
    public static Dictionary<string, string> TemplateValues(IntegrationSnapshot integration, string redirectUri, string? refreshToken, string? accessToken,
        IReadOnlyDictionary<string, JsonNode?>? fields = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in integration.Variables)
        {
            values[key] = value;
        }

        if (integration.ClientId is { } id)
        {
            values.TryAdd("CLIENT_ID", id);
        }

        if (integration.Secret is { } secret)
        {
            values.TryAdd("CLIENT_SECRET", secret);
        }

        values["redirect_url"] = redirectUri;
        foreach (var (key, value) in fields ?? new Dictionary<string, JsonNode?>())
        {
            if (value is JsonValue v)
            {
                values["oauth." + key] = v.ToString();
            }
        }

        if (integration.Config.ApiBaseUrl is { } apiBase)
        {
            values["oauth.api_base_url"] = apiBase;
        }

        if (refreshToken is not null)
        {
            values["oauth.refresh_token"] = refreshToken;
        }

        if (accessToken is not null)
        {
            values["oauth.access_token"] = accessToken;
        }

        return values;
    }
}
