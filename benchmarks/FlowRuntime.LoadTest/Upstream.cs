using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace FlowRuntime.LoadTest;

/// <summary>
/// The third party: a contacts API that demands a valid bearer token, and its OAuth authorization server
/// (authorize auto-approves; token issues and rotates tokens and counts every request by grant type).
/// </summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, long> _accessTokens = new(); // token → expiry (Environment.TickCount64)
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new();
    private WebApplication _app = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Lifetime of issued access tokens; the refresh storm shortens it.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public int CodeGrants;
    public int RefreshGrants;
    public int InvalidGrants;

    /// <summary>A token the baselines use, valid for the whole run.</summary>
    public string FixedToken { get; } = NewToken();

    public async Task StartAsync()
    {
        _accessTokens[FixedToken] = long.MaxValue;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/contacts/{id}", (string id, HttpRequest request) =>
        {
            var header = request.Headers.Authorization.ToString();
            return header.StartsWith("Bearer ", StringComparison.Ordinal) && IsValid(header[7..])
                ? Results.Text($$$"""{"data":{"id":"{{{id}}}","first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"}}""", "application/json")
                : Results.StatusCode(401);
        });
        _app.MapGet("/oauth/authorize", (string redirect_uri, string state) =>
            Results.Redirect($"{redirect_uri}{(redirect_uri.Contains('?') ? '&' : '?')}code={NewToken()}&state={Uri.EscapeDataString(state)}"));
        _app.MapPost("/oauth/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    Interlocked.Increment(ref CodeGrants);
                    return Issue();
                case "refresh_token" when _refreshTokens.TryRemove(form["refresh_token"].ToString(), out _):
                    Interlocked.Increment(ref RefreshGrants);
                    return Issue();
                default:
                    Interlocked.Increment(ref InvalidGrants);
                    return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }
        });
        await _app.StartAsync();
        BaseUrl = _app.Urls.First();
    }

    private IResult Issue()
    {
        var access = NewToken();
        var refresh = NewToken();
        _accessTokens[access] = Environment.TickCount64 + (long)TokenLifetime.TotalMilliseconds;
        _refreshTokens[refresh] = true; // rotated: each refresh token works once
        return Results.Json(new { access_token = access, token_type = "Bearer", expires_in = (int)TokenLifetime.TotalSeconds, refresh_token = refresh });
    }

    /// <summary>Expires every issued access token at once (the baselines' fixed token stays valid).</summary>
    public void ExpireIssuedTokens()
    {
        foreach (var token in _accessTokens.Keys.Where(t => t != FixedToken))
        {
            _accessTokens[token] = 0;
        }
    }

    private bool IsValid(string token) => _accessTokens.TryGetValue(token, out var expiry) && expiry > Environment.TickCount64;

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
