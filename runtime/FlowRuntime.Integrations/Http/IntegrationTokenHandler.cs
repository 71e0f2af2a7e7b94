using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Tokens;

namespace FlowRuntime.Integrations.Http;

/// <summary>Carries the integration id of a request from <see cref="IIntegrationConnections.CreateClient"/> to the token handler.</summary>
internal static class IntegrationRequestOptions
{
    public static readonly HttpRequestOptionsKey<string> IntegrationId = new("FlowRuntime.IntegrationId");
}

/// <summary>Stamps every request of one client with its integration id (outermost handler of the pipeline).</summary>
internal sealed class IntegrationIdHandler(string integrationId, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Integration clients are async-only.");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(IntegrationRequestOptions.IntegrationId, integrationId);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Adds the integration's access token. Never sends a request without one (throws
/// <see cref="IntegrationUnavailableException"/>); when the API says the token expired (401 per RFC 6750 §3.1,
/// or the integration's own signal) it refreshes once and retries once.
/// </summary>
internal sealed class IntegrationTokenHandler(TokenService tokens) : DelegatingHandler
{
    private const int MaxBodyBytesForPattern = 64 * 1024;

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Integration clients are async-only.");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(IntegrationRequestOptions.IntegrationId, out var integrationId) || string.IsNullOrEmpty(integrationId))
        {
            throw new IntegrationUnavailableException("", "integration_not_found", "The request names no integration.");
        }

        var token = await tokens.GetAccessTokenAsync(integrationId, null, cancellationToken);
        ThrowIfFailed(integrationId, token);

        // The retry sends the same content again: buffer it so a stream can be re-read.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue(token.Api!.Scheme, token.AccessToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (!await SignalsExpiryAsync(response, token.Api.ExpirySignal, cancellationToken))
        {
            return response;
        }

        response.Dispose();
        var renewed = await tokens.GetAccessTokenAsync(integrationId, token.AccessToken, cancellationToken);
        ThrowIfFailed(integrationId, renewed);
        request.Headers.Authorization = new AuthenticationHeaderValue(renewed.Api!.Scheme, renewed.AccessToken);
        return await base.SendAsync(request, cancellationToken);
    }

    private static void ThrowIfFailed(string integrationId, TokenResult token)
    {
        if (!token.Succeeded)
        {
            throw new IntegrationUnavailableException(integrationId, token.ErrorCode ?? "token_request_failed", token.Error ?? "No access token is available.");
        }
    }

    private static async Task<bool> SignalsExpiryAsync(HttpResponseMessage response, ExpirySignalOptions? signal, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        // 401 is always "token rejected" (RFC 6750 §3.1); some providers use other statuses too.
        if (status == 401 || signal?.StatusCodes?.Contains(status) == true)
        {
            return true;
        }

        if (signal?.BodyPattern is not { Length: > 0 } pattern || !response.IsSuccessStatusCode
            || response.Content.Headers.ContentLength is > MaxBodyBytesForPattern)
        {
            return false;
        }

        // Buffered, so the caller can still read the body.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return Regex.IsMatch(body, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
    }
}
