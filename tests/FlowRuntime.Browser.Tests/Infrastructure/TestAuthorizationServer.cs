using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.Browser.Tests.Infrastructure;

/// <summary>
/// A tiny OAuth 2.0 provider on 127.0.0.1 that approves at once: <c>/authorize</c> redirects back to the
/// <c>redirect_uri</c> with a code and the state; <c>/token</c> exchanges the code (checking the client,
/// the redirect URI and the PKCE verifier) for JSON tokens. It is also the provider's API: Teamleader-style
/// <c>POST /api/contacts.info</c> with <c>{"id": …}</c> answers <c>{"data": {"id", "first_name", "last_name"}}</c>
/// to a bearer token it issued, 401 otherwise. The client-credentials grant is accepted too.
/// </summary>
public sealed class TestAuthorizationServer : IAsyncDisposable
{
    public const string ClientId = "browser-test-client";
    public const string ClientSecret = "browser-test-secret";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<string> _redirects = new();
    private readonly ConcurrentDictionary<string, bool> _accessTokens = new(StringComparer.Ordinal);

    private TestAuthorizationServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string AuthorizationUrl => new Uri(BaseAddress, "/authorize").ToString();

    public string TokenUrl => new Uri(BaseAddress, "/token").ToString();

    public string ContactsInfoUrl => new Uri(BaseAddress, "/api/contacts.info").ToString();

    /// <summary>Contact id → last name, as the provider's API knows them.</summary>
    public Dictionary<string, string> Contacts { get; } = new(StringComparer.Ordinal) { ["42"] = "Lovelace" };

    /// <summary>What happened, in order ("authorize ...", "token ..."), for assertions and failure messages.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    /// <summary>The paths of the redirect URIs the provider sent the browser back to.</summary>
    public IReadOnlyList<string> RedirectUris => [.. _redirects];

    public static async Task<TestAuthorizationServer> StartAsync()
    {
        var port = BrowserHostFactory.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TestAuthorizationServer(app, new Uri($"http://127.0.0.1:{port}"));
        app.MapGet("/authorize", server.Authorize);
        app.MapPost("/token", server.TokenAsync);
        app.MapPost("/api/contacts.info", server.ContactsInfoAsync);
        await app.StartAsync();
        return server;
    }

    private IResult Authorize(HttpRequest request)
    {
        var q = request.Query;
        string? redirectUri = q["redirect_uri"];
        if (q["response_type"] != "code" || q["client_id"] != ClientId || string.IsNullOrEmpty(redirectUri))
        {
            _events.Enqueue($"authorize rejected: {request.QueryString}");
            return Results.BadRequest("response_type=code, client_id and redirect_uri are required");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new PendingCode(redirectUri, q["code_challenge"], q["code_challenge_method"], q["scope"]);
        _events.Enqueue($"authorize scope={q["scope"]} pkce={q["code_challenge_method"]}");
        _redirects.Enqueue(new Uri(redirectUri).AbsolutePath);
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirectUri}{separator}code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var (clientId, clientSecret) = ClientCredentials(request, form);
        if (form["grant_type"] == "client_credentials")
        {
            return clientId == ClientId && clientSecret == ClientSecret
                ? IssueTokens(form["scope"], "client credentials")
                : TokenError("invalid_client", $"client_id={clientId}");
        }

        string? code = form["code"];
        if (form["grant_type"] != "authorization_code" || code is null || !_codes.TryRemove(code, out var pending))
        {
            return TokenError("invalid_grant", $"grant_type={form["grant_type"]} code={code}");
        }

        if (clientId != ClientId || clientSecret != ClientSecret)
        {
            return TokenError("invalid_client", $"client_id={clientId}");
        }

        if (form["redirect_uri"] != pending.RedirectUri)
        {
            return TokenError("invalid_grant", $"redirect_uri {form["redirect_uri"]} != {pending.RedirectUri}");
        }

        if (pending.CodeChallenge is { Length: > 0 } challenge)
        {
            var verifier = form["code_verifier"].ToString();
            var expected = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            if (pending.CodeChallengeMethod != "S256" || expected != challenge)
            {
                return TokenError("invalid_grant", "PKCE verifier does not match");
            }
        }

        return IssueTokens(pending.Scope, "authorization code");
    }

    private IResult IssueTokens(string? scope, string grant)
    {
        _events.Enqueue(grant == "authorization code" ? "token issued" : $"token issued ({grant})");
        var accessToken = "access-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        _accessTokens[accessToken] = true;
        return Results.Json(new
        {
            access_token = accessToken,
            refresh_token = "refresh-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            token_type = "Bearer",
            expires_in = 3600,
            scope,
        });
    }

    private async Task<IResult> ContactsInfoAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_accessTokens.ContainsKey(header["Bearer ".Length..]))
        {
            _events.Enqueue("api call refused: no valid bearer token");
            return Results.Json(new { errors = new[] { new { title = "Unauthorized" } } }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var body = await System.Text.Json.Nodes.JsonNode.ParseAsync(request.Body);
        var id = body?["id"]?.ToString() ?? "";
        _events.Enqueue($"api call contacts.info id={id} x-trace={request.Headers["X-Trace"]}");
        return Contacts.TryGetValue(id, out var lastName)
            ? Results.Json(new { data = new { id, first_name = "Ada", last_name = lastName } })
            : Results.Json(new { errors = new[] { new { title = $"Contact {id} not found" } } }, statusCode: StatusCodes.Status404NotFound);
    }

    private IResult TokenError(string error, string why)
    {
        _events.Enqueue($"token refused: {error} ({why})");
        return Results.Json(new { error, error_description = why }, statusCode: StatusCodes.Status400BadRequest);
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim())).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"], form["client_secret"]);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record PendingCode(string RedirectUri, string? CodeChallenge, string? CodeChallengeMethod, string? Scope);
}
