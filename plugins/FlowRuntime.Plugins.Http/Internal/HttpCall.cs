using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Abstractions.Integrations;

namespace FlowRuntime.Plugins.Http.Internal;

/// <summary>What a step asks for, with flow variables already filled in by the engine; <c>{{ oauth.x }}</c> is still open.</summary>
internal sealed record HttpCallSpec(
    string? IntegrationId,
    string Method,
    string Url,
    IReadOnlyDictionary<string, string>? Headers,
    JsonNode? Body,
    string? ContentType,
    TimeSpan? Timeout,
    IReadOnlyList<int>? ExpectedStatusCodes);

/// <summary>The API's answer: status, headers (lower-case names) and body (JSON node, or text when not JSON).</summary>
// Headers stay plain strings until a step saves the whole response: most calls only map from the body.
internal sealed record HttpCallResponse(int StatusCode, string ReasonPhrase, IReadOnlyList<KeyValuePair<string, string>> Headers, JsonNode? Body, bool IsJson, bool IsExpected)
{
    public string? Header(string lowerCaseName) => Headers.FirstOrDefault(h => h.Key == lowerCaseName).Value;

    public JsonObject ToJson()
    {
        var headers = new JsonObject();
        foreach (var (name, value) in Headers)
        {
            headers[name] = value;
        }

        return new JsonObject { ["statusCode"] = StatusCode, ["headers"] = headers, ["body"] = Body?.DeepClone() };
    }
}

/// <summary>Why a call did not produce a usable answer. <see cref="Message"/> is shown to flow designers: no secrets.</summary>
internal sealed record HttpCallError(string Code, string Message);

/// <summary>Either a response (possibly with an unexpected status, then <see cref="Error"/> says so) or an error without one.</summary>
internal sealed record HttpCallResult(HttpCallResponse? Response, HttpCallError? Error);

/// <summary>
/// The one HTTP path both steps share: fills in <c>{{ oauth.x }}</c>, builds the request, sends it through the
/// integration's client, reads a bounded body, classifies failures as values (never exceptions) and records the use
/// on the integration's health and log.
/// </summary>
internal static class HttpCall
{
    /// <summary>Bodies end up in flow variables, which are persisted with the instance: keep them bounded.</summary>
    public const int MaxResponseBytes = 4 * 1024 * 1024;

    private const int ReasonBodySnippet = 200;

    public static async ValueTask<HttpCallResult> SendAsync(IIntegrationConnections connections, ActivityContext context, HttpCallSpec spec)
    {
        var integrationId = string.IsNullOrWhiteSpace(spec.IntegrationId) ? null : spec.IntegrationId.Trim();
        IReadOnlyDictionary<string, JsonNode?>? oauth = null;
        if (integrationId is not null)
        {
            try
            {
                var values = await connections.GetTemplateValuesAsync(integrationId, context.CancellationToken).ConfigureAwait(false);
                // The values are the fields of the `oauth` root: {{ oauth.api_base_url }} → values["api_base_url"].
                oauth = values is null ? null : new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
                {
                    ["oauth"] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, v.Value?.DeepClone()))),
                };
            }
            catch (IntegrationUnavailableException e)
            {
                return Fail(AuthorizationNeeded(integrationId, e));
            }

            if (oauth is null)
            {
                return Fail(new HttpCallError(HttpErrorCodes.AuthorizationNeeded,
                    $"Authorization needed: integration '{integrationId}' does not exist. Pick an authorized integration in the step's settings."));
            }
        }

        var url = Render(context, spec.Url, oauth);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return Fail(new HttpCallError(HttpErrorCodes.InvalidRequest, $"'{url}' is not an absolute http(s) URL."));
        }

        var started = context.TimeProvider.GetTimestamp();
        var result = await SendCoreAsync(connections, context, spec, integrationId, oauth, uri).ConfigureAwait(false);
        if (integrationId is not null)
        {
            await RecordUseAsync(connections, context, integrationId, uri, spec.Method, result, context.TimeProvider.GetElapsedTime(started)).ConfigureAwait(false);
        }

        return result;
    }

    private static async ValueTask<HttpCallResult> SendCoreAsync(
        IIntegrationConnections connections, ActivityContext context, HttpCallSpec spec, string? integrationId, IReadOnlyDictionary<string, JsonNode?>? oauth, Uri uri)
    {
        HttpRequestMessage request;
        try
        {
            request = BuildRequest(context, spec, oauth, uri);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return Fail(new HttpCallError(HttpErrorCodes.InvalidRequest, $"The request is not valid: {e.Message}"));
        }

        using var timeout = spec.Timeout is { } limit && limit > TimeSpan.Zero
            ? new CancellationTokenSource(limit, context.TimeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, timeout.Token);
        try
        {
            using (request)
            {
                var client = connections.CreateClient(integrationId);
                // Headers first: the body is read under our own size limit instead of HttpClient's 2 GB buffer.
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                return await ReadResponseAsync(response, spec, uri, linked.Token).ConfigureAwait(false);
            }
        }
        catch (IntegrationUnavailableException e)
        {
            return Fail(AuthorizationNeeded(e.IntegrationId, e));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw; // the run itself is being cancelled (shutdown): not a step outcome
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // Our timeoutSeconds, HttpClient.Timeout, or the integration clients' attempt timeout (TimeoutException).
            var after = spec.Timeout is { } t && timeout.IsCancellationRequested ? $" within {t.TotalSeconds:0.#} s" : "";
            return Fail(new HttpCallError(HttpErrorCodes.Timeout, $"Timeout: {uri.Host} did not answer{after}."));
        }
        catch (HttpRequestException e) when (FindInner<OutboundRequestRefusedException>(e) is { } refused)
        {
            return Fail(new HttpCallError(HttpErrorCodes.AddressNotAllowed, refused.Message));
        }
        catch (HttpRequestException e)
        {
            return Fail(new HttpCallError(HttpErrorCodes.ConnectError, $"Could not connect to {uri.Host}: {e.Message}"));
        }
        catch (IOException e)
        {
            // The connection dropped while the body was being read.
            return Fail(new HttpCallError(HttpErrorCodes.ConnectError, $"The connection to {uri.Host} failed while reading the answer: {e.Message}"));
        }
    }

    private static HttpRequestMessage BuildRequest(ActivityContext context, HttpCallSpec spec, IReadOnlyDictionary<string, JsonNode?>? oauth, Uri uri)
    {
        var method = new HttpMethod(string.IsNullOrWhiteSpace(spec.Method) ? "GET" : spec.Method.Trim().ToUpperInvariant());
        var request = new HttpRequestMessage(method, uri) { Content = BuildContent(context, spec, oauth) };
        foreach (var (name, template) in spec.Headers ?? new Dictionary<string, string>())
        {
            var value = Render(context, template, oauth);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (request.Content is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
                }
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content?.Headers.TryAddWithoutValidation(name, value) != true)
            {
                throw new FormatException($"header '{name}' cannot be set.");
            }
        }

        return request;
    }

    private static HttpContent? BuildContent(ActivityContext context, HttpCallSpec spec, IReadOnlyDictionary<string, JsonNode?>? oauth)
    {
        var contentType = string.IsNullOrWhiteSpace(spec.ContentType) ? null : spec.ContentType.Trim();
        switch (spec.Body)
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                // Text typed in the designer's body box: sent as it is, JSON when it looks like JSON.
                var text = Render(context, value.GetValue<string>(), oauth);
                if (text.Length == 0)
                {
                    return null;
                }

                return new StringContent(text, Encoding.UTF8, contentType ?? (LooksLikeJson(text) ? "application/json" : "text/plain"));
            case JsonObject form when contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase):
                return new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Key, Render(context, TextOf(p.Value), oauth))));
            default:
                return new StringContent(RenderJson(context, spec.Body, oauth)!.ToJsonString(), Encoding.UTF8, contentType ?? "application/json");
        }
    }

    private static async ValueTask<HttpCallResult> ReadResponseAsync(HttpResponseMessage response, HttpCallSpec spec, Uri uri, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers.Add(KeyValuePair.Create(name.ToLowerInvariant(), string.Join(", ", values)));
        }

        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return Fail(new HttpCallError(HttpErrorCodes.ResponseTooLarge, $"The answer of {uri.Host} is larger than {MaxResponseBytes / (1024 * 1024)} MB."));
        }

        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Fail(new HttpCallError(HttpErrorCodes.ResponseTooLarge, $"The answer of {uri.Host} is larger than {MaxResponseBytes / (1024 * 1024)} MB."));
        }

        var (node, isJson, text) = Parse(body.GetBuffer().AsSpan(0, (int)body.Length), response.Content.Headers.ContentType);
        var expected = spec.ExpectedStatusCodes is { Count: > 0 } codes ? codes.Contains(status) : status is >= 200 and < 300;
        var parsed = new HttpCallResponse(status, response.ReasonPhrase ?? "", headers, node, isJson, expected);
        return expected
            ? new HttpCallResult(parsed, null)
            : new HttpCallResult(parsed, new HttpCallError(HttpErrorCodes.UnexpectedStatus, UnexpectedStatusMessage(uri, parsed, text ?? node?.ToJsonString() ?? "")));
    }

    /// <summary>The whole body, or null when it exceeds <see cref="MaxResponseBytes"/>.</summary>
    private static async ValueTask<MemoryStream?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream(content.Headers.ContentLength is { } length ? (int)length : 0);
            // A pooled chunk: a fresh 80 KiB array per call was half of all bytes allocated per flow.
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > MaxResponseBytes)
                    {
                        return null;
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return buffer;
        }
    }

    /// <summary>JSON bodies are parsed straight from UTF-8 bytes; <c>Text</c> is set only when the body was decoded as text.</summary>
    private static (JsonNode? Body, bool IsJson, string? Text) Parse(ReadOnlySpan<byte> bytes, MediaTypeHeaderValue? contentType)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        if (bytes.IsEmpty)
        {
            return (null, false, "");
        }

        var encoding = EncodingOf(contentType?.CharSet);
        var declaredJson = contentType?.MediaType is { } mediaType && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (encoding.CodePage == Encoding.UTF8.CodePage && (declaredJson || LooksLikeJson(bytes)))
        {
            try
            {
                return (JsonNode.Parse(bytes), true, null);
            }
            catch (JsonException)
            {
                // Declared JSON that is not: keep the text so the flow can still show or log it.
            }
        }

        var text = encoding.GetString(bytes);
        if (encoding.CodePage != Encoding.UTF8.CodePage && (declaredJson || LooksLikeJson(text.AsSpan())))
        {
            try
            {
                return (JsonNode.Parse(text), true, text);
            }
            catch (JsonException)
            {
            }
        }

        return (JsonValue.Create(text), false, text);
    }

    private static Encoding EncodingOf(string? charset)
    {
        if (!string.IsNullOrWhiteSpace(charset))
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // Unknown charset: UTF-8 is the web's default and the best guess.
            }
        }

        return Encoding.UTF8;
    }

    private static string UnexpectedStatusMessage(Uri uri, HttpCallResponse response, string text)
    {
        var snippet = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (snippet.Length > ReasonBodySnippet)
        {
            snippet = snippet[..ReasonBodySnippet] + "…";
        }

        var reason = string.IsNullOrEmpty(response.ReasonPhrase) ? "" : " " + response.ReasonPhrase;
        return $"{uri.Host} answered {response.StatusCode}{reason}" + (snippet.Length > 0 ? $": {snippet}" : ".");
    }

    private static HttpCallError AuthorizationNeeded(string integrationId, IntegrationUnavailableException e) =>
        new(HttpErrorCodes.AuthorizationNeeded, $"Authorization needed for integration '{integrationId}' ({e.Code}): {e.Message}");

    private static HttpCallResult Fail(HttpCallError error) => new(null, error);

    private static async ValueTask RecordUseAsync(
        IIntegrationConnections connections, ActivityContext context, string integrationId, Uri uri, string method, HttpCallResult result, TimeSpan duration)
    {
        // The path without the query: query strings can carry keys, and the log is shown to admins.
        var use = new IntegrationUse(result.Error is null, result.Response?.StatusCode, duration, result.Error?.Message,
            $"{method.ToUpperInvariant()} {uri.GetLeftPart(UriPartial.Path)} ({context.FlowId}/{context.ActivityId})");
        try
        {
            await connections.RecordUseAsync(integrationId, use, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Bookkeeping must not change the step's outcome: the call itself already happened.
            context.Log($"Could not record the use of integration '{integrationId}': {e.Message}");
        }
    }

    /// <summary>Fills in <c>{{ oauth.x }}</c> (left open by the engine) when the step uses an integration.</summary>
    // Only the {{ oauth.x }} placeholders the designer wrote are filled in; text from variables is never rendered twice.
    private static string Render(ActivityContext context, string text, IReadOnlyDictionary<string, JsonNode?>? oauth) =>
        context.ResolveDeferred(text, oauth ?? NoRoots);

    private static readonly IReadOnlyDictionary<string, JsonNode?> NoRoots = new Dictionary<string, JsonNode?>();

    private static JsonNode? RenderJson(ActivityContext context, JsonNode? node, IReadOnlyDictionary<string, JsonNode?>? oauth) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, RenderJson(context, p.Value, oauth)))),
        JsonArray a => new JsonArray([.. a.Select(i => RenderJson(context, i, oauth))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(Render(context, v.GetValue<string>(), oauth)),
        _ => node?.DeepClone(),
    };

    private static string TextOf(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static bool LooksLikeJson(ReadOnlySpan<char> text)
    {
        var trimmed = text.TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> utf8)
    {
        var trimmed = utf8.TrimStart(" \t\r\n"u8);
        return trimmed.Length > 0 && trimmed[0] is (byte)'{' or (byte)'[';
    }

    private static T? FindInner<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
