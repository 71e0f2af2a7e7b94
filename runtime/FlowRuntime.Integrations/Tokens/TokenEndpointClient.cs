using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace FlowRuntime.Integrations.Tokens;

/// <summary>Sends token, refresh and revocation requests and reads the answers. Never throws for provider failures.</summary>
internal sealed class TokenEndpointClient(IHttpClientFactory httpClientFactory, TimeProvider time)
{
    public const string ClientName = "FlowRuntime.Integrations.TokenEndpoint";

    public async Task<TokenCallResult> RequestTokenAsync(TokenHttpRequest request, TokenRequestOptions? options, IReadOnlyCollection<string> secrets, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            using var message = Build(request);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await httpClientFactory.CreateClient(ClientName).SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var (grant, failure) = TokenResponseReader.Read((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, options, time.GetUtcNow());
            if (failure is not null)
            {
                failure = failure with { Message = Redact(failure.Message, secrets) };
            }

            return new TokenCallResult(grant, failure, (int)response.StatusCode, time.GetElapsedTime(started));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException
                                   && !cancellationToken.IsCancellationRequested)
        {
            var message = Redact($"The token endpoint could not be reached: {e.Message}", secrets);
            return new TokenCallResult(null, new TokenFailure(null, null, message), null, time.GetElapsedTime(started));
        }
    }

    /// <summary>RFC 7009 revocation: POST token + token_type_hint with client authentication. Returns the HTTP status or an error.</summary>
    public async Task<(bool Success, int? Status, string? Error, TimeSpan Duration)> RevokeAsync(TokenHttpRequest request, IReadOnlyCollection<string> secrets, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            using var message = Build(request);
            using var response = await httpClientFactory.CreateClient(ClientName).SendAsync(message, cancellationToken);
            // RFC 7009 §2.2: 200 also for tokens that were already invalid.
            return response.IsSuccessStatusCode
                ? (true, (int)response.StatusCode, null, time.GetElapsedTime(started))
                : (false, (int)response.StatusCode, $"The revocation endpoint answered HTTP {(int)response.StatusCode}.", time.GetElapsedTime(started));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return (false, null, Redact($"The revocation endpoint could not be reached: {e.Message}", secrets), time.GetElapsedTime(started));
        }
    }

    private static HttpRequestMessage Build(TokenHttpRequest request)
    {
        var isGet = request.Method == HttpMethod.Get;
        var url = request.Url;
        if (isGet && request.Parameters.Count > 0)
        {
            url = AppendQuery(url, request.Parameters);
        }

        var message = new HttpRequestMessage(request.Method, url);
        if (!isGet)
        {
            message.Content = request.JsonBody
                ? new StringContent(ToJson(request.Parameters).ToJsonString(), Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent(request.Parameters);
        }

        if (request.BasicUser is not null)
        {
            // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
            var credentials = Uri.EscapeDataString(request.BasicUser) + ":" + Uri.EscapeDataString(request.BasicPassword ?? "");
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content is not null)
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static JsonObject ToJson(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var json = new JsonObject();
        foreach (var (key, value) in parameters)
        {
            json[key] = value;
        }

        return json;
    }

    public static string AppendQuery(string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder(url);
        var first = !url.Contains('?', StringComparison.Ordinal);
        foreach (var (key, value) in parameters)
        {
            builder.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }

        return builder.ToString();
    }

    /// <summary>Replaces every known secret (client secret, codes, tokens) in a message.</summary>
    public static string Redact(string message, IReadOnlyCollection<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length >= 4)
            {
                message = message.Replace(secret, "[redacted]", StringComparison.Ordinal)
                    .Replace(Uri.EscapeDataString(secret), "[redacted]", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
