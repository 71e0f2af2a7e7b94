using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlowRuntime.Integrations.Tokens;

/// <summary>
/// Reads token endpoint answers as providers really send them: JSON (RFC 6749 §5.1), form-encoded (GitHub
/// without Accept), or a bare token in text/plain; the token under a nested path (Slack's
/// <c>authed_user.access_token</c>); <c>expires_in</c> as number or string, in seconds or milliseconds, or absent.
/// </summary>
internal static class TokenResponseReader
{
    private static readonly string[] TokenFields = ["access_token", "refresh_token", "id_token"];

    public static (TokenGrant? Grant, TokenFailure? Failure) Read(int status, string? mediaType, string body, TokenRequestOptions? options, DateTimeOffset now)
    {
        var format = (options?.ResponseFormat ?? "auto").ToLowerInvariant();
        var json = Parse(body, mediaType, format);
        var success = status is >= 200 and < 300;

        // RFC 6749 §5.2 errors; Zoho and Slack also send them with HTTP 200 (Slack as ok=false).
        var error = json?["error"] is JsonValue e ? e.ToString() : null;
        if (!success || (error is not null && Find(json, options?.TokenPath ?? "access_token") is null))
        {
            var description = json?["error_description"] is JsonValue d ? d.ToString() : null;
            return (null, new TokenFailure(status, error, Describe(status, error, description)));
        }

        var accessToken = Find(json, options?.TokenPath ?? "access_token");
        if (string.IsNullOrEmpty(accessToken))
        {
            return (null, new TokenFailure(status, null, $"The token response has no access token at '{options?.TokenPath ?? "access_token"}'."));
        }

        var refreshToken = Find(json, options?.RefreshTokenPath ?? "refresh_token");
        var expiresAt = ExpiresAt(json, options, now);
        var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (json is not null)
        {
            var copy = json.DeepClone().AsObject();
            Remove(copy, options?.TokenPath);
            Remove(copy, options?.RefreshTokenPath);
            foreach (var name in TokenFields)
            {
                copy.Remove(name);
            }

            foreach (var (key, value) in copy)
            {
                fields[key] = value?.DeepClone();
            }
        }

        return (new TokenGrant(accessToken, string.IsNullOrEmpty(refreshToken) ? null : refreshToken, expiresAt, fields), null);
    }

    /// <summary>The answer as a JSON object whatever its format; null when it is none of them.</summary>
    private static JsonObject? Parse(string body, string? mediaType, string format)
    {
        var trimmed = body.Trim();
        if (format is "json" || (format is "auto" or "text" && trimmed.StartsWith('{')))
        {
            try
            {
                return JsonNode.Parse(trimmed) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        if (format is "form" || (format is "auto" or "text" && trimmed.Contains('=', StringComparison.Ordinal) && !trimmed.Contains(' ', StringComparison.Ordinal))
            || mediaType is "application/x-www-form-urlencoded")
        {
            var result = new JsonObject();
            foreach (var pair in trimmed.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var index = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString((index < 0 ? pair : pair[..index]).Replace('+', ' '));
                var value = index < 0 ? "" : Uri.UnescapeDataString(pair[(index + 1)..].Replace('+', ' '));
                result[key] = value;
            }

            return result;
        }

        // text/plain with nothing but a token in it.
        return format is "text" or "auto" && trimmed.Length > 0 && !trimmed.Any(char.IsWhiteSpace) && !trimmed.StartsWith('<')
            ? new JsonObject { ["access_token"] = trimmed }
            : null;
    }

    public static string? Find(JsonObject? json, string path)
    {
        JsonNode? node = json;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue v ? v.ToString() : null;
    }

    private static void Remove(JsonObject json, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var parts = path.Split('.');
        JsonNode? node = json;
        foreach (var part in parts[..^1])
        {
            node = node is JsonObject o ? o[part] : null;
        }

        (node as JsonObject)?.Remove(parts[^1]);
    }

    private static DateTimeOffset? ExpiresAt(JsonObject? json, TokenRequestOptions? options, DateTimeOffset now)
    {
        var raw = Find(json, options?.ExpiresInPath ?? "expires_in");
        if (raw is not null && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return now + (string.Equals(options?.ExpiresInUnit, "milliseconds", StringComparison.OrdinalIgnoreCase)
                ? TimeSpan.FromMilliseconds(value)
                : TimeSpan.FromSeconds(value));
        }

        // RFC 6749 §5.1: expires_in is RECOMMENDED, not required; without it the token lives until rejected.
        return options?.DefaultLifetimeSeconds is { } seconds ? now + TimeSpan.FromSeconds(seconds) : null;
    }

    private static string Describe(int status, string? error, string? description)
    {
        var text = error is null ? $"The token endpoint answered HTTP {status}." : $"The provider answered {error}";
        if (error is not null && description is not null)
        {
            text += ": " + (description.Length > 300 ? description[..300] : description);
        }

        return error is null ? text : text + $" (HTTP {status}).";
    }
}
