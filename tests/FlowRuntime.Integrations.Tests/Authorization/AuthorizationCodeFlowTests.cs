using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Tests.Infrastructure;

namespace FlowRuntime.Integrations.Tests.Authorization;

/// <summary>The issue's "done when", tried as a new user would, against a real OpenIddict authorization server.</summary>
public sealed class AuthorizationCodeFlowTests : IAsyncLifetime
{
    private AuthServer _auth = null!;
    private readonly IntegrationsHost _host = new();

    public async Task InitializeAsync() => _auth = await AuthServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _auth.DisposeAsync();
    }

    private async Task<string> CreateAuthorizedAsync(bool viaIssuer = false)
    {
        var created = await _host.CreateIntegrationAsync(viaIssuer
            ? new { name = "Real server", clientId = "flowruntime", clientSecret = "s3cret-client-value", scopes = new[] { "api", "offline_access" }, issuer = _auth.BaseUrl + "/" }
            : new
            {
                name = "Real server",
                grantType = "authorization_code",
                clientId = "flowruntime",
                clientSecret = "s3cret-client-value",
                scopes = new[] { "api", "offline_access" },
                authorizationUrl = _auth.BaseUrl + "/connect/authorize",
                tokenUrl = _auth.BaseUrl + "/connect/token",
                revocationUrl = _auth.BaseUrl + "/connect/revoke",
            });
        var id = created["id"]!.GetValue<string>();
        await _auth.RegisterClientAsync("flowruntime", "s3cret-client-value", created["callbackUrl"]!.GetValue<string>());

        var landed = await _host.BrowseAsync(await _host.GetAuthorizationUrlAsync(id));
        var query = IntegrationsHost.Query(landed);
        Assert.Equal("authorized", query["status"]);
        return id;
    }

    [Fact]
    public async Task AuthorizationCode_NewUserJourney_AuthorizesCallsRefreshesAndRevokes()
    {
        var created = await _host.CreateIntegrationAsync(new
        {
            name = "Real server",
            grantType = "authorization_code",
            clientId = "flowruntime",
            clientSecret = "s3cret-client-value",
            scopes = new[] { "api", "offline_access" },
            authorizationUrl = _auth.BaseUrl + "/connect/authorize",
            tokenUrl = _auth.BaseUrl + "/connect/token",
            revocationUrl = _auth.BaseUrl + "/connect/revoke",
        });
        Assert.Equal("incomplete", created["status"]!.GetValue<string>());
        Assert.Equal("yellow", created["health"]!.GetValue<string>());
        Assert.True(created["hasClientSecret"]!.GetValue<bool>());
        Assert.Null(created["clientSecret"]);
        var id = created["id"]!.GetValue<string>();
        Assert.Equal($"{IntegrationsHost.PublicBaseUrl}/oauth/callback/{id}", created["callbackUrl"]!.GetValue<string>());
        await _auth.RegisterClientAsync("flowruntime", "s3cret-client-value", created["callbackUrl"]!.GetValue<string>());

        // Authorize: the browser goes to the provider, logs in, and comes back to the success page.
        var authorizationUrl = await _host.GetAuthorizationUrlAsync(id);
        var authorizeQuery = IntegrationsHost.Query(authorizationUrl);
        Assert.Equal("S256", authorizeQuery["code_challenge_method"]);
        Assert.Equal("api offline_access", authorizeQuery["scope"]);
        var landed = await _host.BrowseAsync(authorizationUrl);
        Assert.Equal($"{IntegrationsHost.PublicBaseUrl}/integrations", landed.GetLeftPart(UriPartial.Path));
        var landedQuery = IntegrationsHost.Query(landed);
        Assert.Equal(id, landedQuery["integrationId"]);
        Assert.Equal("Real server", landedQuery["integrationName"]);
        Assert.Equal("authorized", landedQuery["status"]);
        Assert.Equal("authorized", (await _host.GetIntegrationAsync(id))["status"]!.GetValue<string>());

        using (var authorizedList = _host.Management())
        {
            var list = await authorizedList.GetFromJsonAsync<JsonArray>("/api/integrations?status=authorized");
            Assert.Contains(list!, i => i!["id"]!.GetValue<string>() == id);
        }

        // An authenticated call through the handler.
        using var client = _host.Connections.CreateClient(id);
        using (var me = await client.GetAsync(_auth.BaseUrl + "/api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Contains("test-user", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await _host.Connections.RecordUseAsync(id, new IntegrationUse(true, 200, TimeSpan.FromMilliseconds(5), null), default);
        Assert.Equal("green", (await _host.GetIntegrationAsync(id))["health"]!.GetValue<string>());

        // The token expires: the next call refreshes (rotation), and the one after that refreshes with the rotated token.
        for (var round = 1; round <= 2; round++)
        {
            _host.Time.Advance(TimeSpan.FromHours(2));
            using var again = await client.GetAsync(_auth.BaseUrl + "/api/me");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(round, _auth.Count("token:refresh_token"));
        }

        // Disconnect: tokens revoked at the provider and deleted.
        using (var management = _host.Management())
        {
            using var disconnected = await management.PostAsync($"/api/integrations/{id}/disconnect", null);
            Assert.Equal(HttpStatusCode.OK, disconnected.StatusCode);
        }

        Assert.True(_auth.Count("revoke") >= 1);
        Assert.Equal("disconnected", (await _host.GetIntegrationAsync(id))["status"]!.GetValue<string>());
        var error = await Assert.ThrowsAsync<IntegrationUnavailableException>(() => client.GetAsync(_auth.BaseUrl + "/api/me"));
        Assert.Equal("integration_not_authorized", error.Code);

        var logs = await _host.GetLogsAsync(id);
        foreach (var kind in new[] { "authorize", "exchange", "refresh", "revocation", "disconnect", "api_call" })
        {
            Assert.Contains(logs, l => l!["kind"]!.GetValue<string>() == kind);
        }
    }

    [Fact]
    public async Task Authorize_WithIssuer_DiscoversEndpointsAndChecksIss()
    {
        var id = await CreateAuthorizedAsync(viaIssuer: true);
        var integration = await _host.GetIntegrationAsync(id);
        Assert.Equal(_auth.BaseUrl + "/connect/token", integration["tokenUrl"]!.GetValue<string>());
        Assert.Equal(_auth.BaseUrl + "/connect/revoke", integration["revocationUrl"]!.GetValue<string>());
        Assert.True(integration["usePkce"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Callback_ProviderDenies_RedirectsToFailureWithError()
    {
        var created = await _host.CreateIntegrationAsync(new
        {
            name = "Denied",
            clientId = "flowruntime",
            clientSecret = "s3cret-client-value",
            scopes = new[] { "api" },
            issuer = _auth.BaseUrl,
            failureRedirectUrl = "https://admin.example/failed",
        });
        var id = created["id"]!.GetValue<string>();
        await _auth.RegisterClientAsync("flowruntime", "s3cret-client-value", created["callbackUrl"]!.GetValue<string>());
        _auth.DenyNextAuthorization = true;

        var landed = await _host.BrowseAsync(await _host.GetAuthorizationUrlAsync(id));

        Assert.Equal("https://admin.example/failed", landed.GetLeftPart(UriPartial.Path));
        var query = IntegrationsHost.Query(landed);
        Assert.Equal("error", query["status"]);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("error", (await _host.GetIntegrationAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Authorize_WithoutAcceptJson_RedirectsToProvider()
    {
        var created = await _host.CreateIntegrationAsync(new { name = "R", clientId = "c", authorizationUrl = _auth.BaseUrl + "/connect/authorize", tokenUrl = _auth.BaseUrl + "/connect/token" });
        using var client = _host.Management();
        using var response = await client.GetAsync($"/api/integrations/{created["id"]}/authorize");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(_auth.BaseUrl + "/connect/authorize?response_type=code&client_id=c", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientCredentials_Connect_GetsTokenAndCallsApi()
    {
        await _auth.RegisterClientAsync("machine", "machine-secret-value", null);
        var created = await _host.CreateIntegrationAsync(new
        {
            name = "Machine",
            grantType = "client_credentials",
            clientId = "machine",
            clientSecret = "machine-secret-value",
            scopes = new[] { "api" },
            tokenUrl = _auth.BaseUrl + "/connect/token",
        });
        var id = created["id"]!.GetValue<string>();

        using (var management = _host.Management())
        {
            using var connected = await management.PostAsync($"/api/integrations/{id}/connect", null);
            Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
            Assert.Equal("authorized", (await connected.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        }

        using var client = _host.Connections.CreateClient(id);
        using var me = await client.GetAsync(_auth.BaseUrl + "/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(1, _auth.Count("token:client_credentials"));

        // Cached until shortly before expiry, then fetched again on demand.
        _host.Time.Advance(TimeSpan.FromHours(2));
        using var again = await client.GetAsync(_auth.BaseUrl + "/api/me");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, _auth.Count("token:client_credentials"));
    }
}
