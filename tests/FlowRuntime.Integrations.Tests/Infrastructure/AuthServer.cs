using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace FlowRuntime.Integrations.Tests.Infrastructure;

/// <summary>
/// A real OAuth 2.0 authorization server (OpenIddict) on 127.0.0.1 with a random port: authorization code +
/// PKCE, rotating refresh tokens, client credentials, RFC 7009 revocation, discovery, and a protected
/// resource at <c>/api/me</c>. The login step auto-approves the test user.
/// </summary>
public sealed class AuthServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _databasePath;

    private AuthServer(WebApplication app, string databasePath, string baseUrl)
    {
        _app = app;
        _databasePath = databasePath;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Requests per endpoint and grant, e.g. <c>token:refresh_token</c>, <c>revoke</c>, <c>me</c>.</summary>
    public ConcurrentDictionary<string, int> Counts { get; } = new();

    /// <summary>When set, the next authorization is denied (error=access_denied).</summary>
    public bool DenyNextAuthorization { get; set; }

    public int Count(string key) => Counts.GetValueOrDefault(key);

    public static async Task<AuthServer> StartAsync()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), "flowruntime-authserver-" + Guid.NewGuid().ToString("N") + ".db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<DbContext>(o =>
        {
            o.UseSqlite("Data Source=" + databasePath);
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetRevocationEndpointUris("connect/revoke");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                o.RegisterScopes("api", Scopes.OfflineAccess);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
            });
        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        builder.Services.AddAuthorization();

        var app = builder.Build();
        AuthServer? server = null;
        app.Use(async (context, next) =>
        {
            var key = context.Request.Path.Value!.Trim('/').Replace("connect/", "", StringComparison.Ordinal).Replace("api/", "", StringComparison.Ordinal);
            if (key == "token" && context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync();
                key += ":" + form["grant_type"];
            }

            server!.Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
            await next();
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest()!;
            if (server!.DenyNextAuthorization)
            {
                server.DenyNextAuthorization = false;
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // The login and consent step: the test user approves everything asked.
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, "test-user").SetClaim(Claims.Name, "Ada Lovelace");
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost("/connect/token", async (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest()!;
            if (request.IsClientCredentialsGrantType())
            {
                var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
                identity.SetClaim(Claims.Subject, request.ClientId);
                identity.SetScopes(request.GetScopes());
                identity.SetDestinations(_ => [Destinations.AccessToken]);
                return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            }

            // Authorization code and refresh token: the principal stored in the code or refresh token.
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(result.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapGet("/api/me", (ClaimsPrincipal user) => Results.Ok(new { sub = user.FindFirst(Claims.Subject)?.Value }))
            .RequireAuthorization(p => p.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).RequireAuthenticatedUser());

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DbContext>().Database.EnsureCreatedAsync();
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new AuthServer(app, databasePath, address.TrimEnd('/'));
        return server;
    }

    /// <summary>Registers a confidential client allowed every flow, redirecting to <paramref name="redirectUri"/>.</summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, string? redirectUri)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.GrantTypes.ClientCredentials,
                Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + "api", Permissions.Prefixes.Scope + Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        if (redirectUri is not null)
        {
            descriptor.RedirectUris.Add(new Uri(redirectUri));
        }

        await manager.CreateAsync(descriptor);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_databasePath);
    }
}
