using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.MultiHost.Tests.Infrastructure;

/// <summary>
/// An OAuth provider on a real loopback port that rotates refresh tokens strictly: each refresh token works once,
/// and a used or unknown one gets <c>invalid_grant</c> (RFC 6749 §5.2), as with providers that detect replay.
/// Counts every token request, and serves <c>GET /api</c> to any access token it issued.
/// </summary>
public sealed class RotatingTokenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _accessTokens = [];
    private string? _refreshToken;
    private int _generation;
    private int _codeExchanges;
    private int _refreshes;
    private int _invalidGrants;
    private int _apiCalls;
    private int _apiRejected;

    private RotatingTokenServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>How long a refresh takes to answer: the window in which another host might refresh too.</summary>
    public TimeSpan RefreshDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public int CodeExchanges => Volatile.Read(ref _codeExchanges);

    public int Refreshes => Volatile.Read(ref _refreshes);

    public int InvalidGrants => Volatile.Read(ref _invalidGrants);

    public int ApiCalls => Volatile.Read(ref _apiCalls);

    public int ApiRejected => Volatile.Read(ref _apiRejected);

    public static async Task<RotatingTokenServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new RotatingTokenServer(builder.Build());
        server._app.MapPost("/token", server.TokenAsync);
        server._app.MapGet("/api", server.Api);
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        string access;
        string refresh;
        lock (_gate)
        {
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    _codeExchanges++;
                    break;
                case "refresh_token" when _refreshToken is not null && form["refresh_token"] == _refreshToken:
                    _refreshes++;
                    break;
                case "refresh_token":
                    _invalidGrants++;
                    return Results.Json(new { error = "invalid_grant", error_description = "The refresh token was already used." }, statusCode: 400);
                default:
                    return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
            }

            // Rotate at once, so a concurrent second use of the old refresh token is caught as a replay.
            _generation++;
            access = "A" + _generation;
            refresh = "R" + _generation;
            _refreshToken = refresh;
            _accessTokens.Add(access);
        }

        await Task.Delay(RefreshDelay);
        return Results.Json(new { access_token = access, refresh_token = refresh, token_type = "Bearer", expires_in = 3600 });
    }

    private IResult Api(HttpRequest request)
    {
        Interlocked.Increment(ref _apiCalls);
        var header = request.Headers.Authorization.ToString();
        bool known;
        lock (_gate)
        {
            known = header.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.Contains(header["Bearer ".Length..]);
        }

        if (!known)
        {
            Interlocked.Increment(ref _apiRejected);
            return Results.Json(new { error = "invalid_token" }, statusCode: 401);
        }

        return Results.Json(new { data = new { last_name = "Lovelace" } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
