using System.Net;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Background;
using FlowRuntime.Integrations.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Integrations.Tests.Tokens;

/// <summary>Refresh ahead of expiry and on expiry signals, single-flight, rotation, invalid_grant, and the client pipeline.</summary>
public sealed class RefreshTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private const string Initial = """{"access_token":"A1","refresh_token":"R1","expires_in":3600}""";
    private const string Refreshed = """{"access_token":"A2","refresh_token":"R2","expires_in":3600}""";

    private async Task<(HttpStatusCode Status, string Body)> CallAsync(MockProvider provider, string id, HttpMethod? method = null, HttpContent? content = null)
    {
        using var client = fixture.Host.Connections.CreateClient(id);
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, provider.Url("api")) { Content = content };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetToken_CloseToExpiry_RefreshesOnceAndPersistsRotatedToken()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial)
            .Token("refresh_token=R1", 200, Refreshed)
            .Token("refresh_token=R2", 200, """{"access_token":"A3","refresh_token":"R3","expires_in":3600}""")
            .Api("A2").Api("A3");
        var id = await provider.CreateAuthorizedAsync();

        fixture.Host.Time.Advance(TimeSpan.FromMinutes(58)); // inside the 5-minute refresh margin
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
        Assert.Equal(1, provider.Requests("token", "refresh_token=R1"));

        fixture.Host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
        Assert.Equal(1, provider.Requests("token", "refresh_token=R2"));
    }

    [Fact]
    public async Task Refresh_ResponseWithoutRefreshToken_KeepsTheOldOne()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial)
            .Token("refresh_token=R1", 200, """{"access_token":"A2","expires_in":3600}""")
            .Api("A2");
        var id = await provider.CreateAuthorizedAsync();

        fixture.Host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
        fixture.Host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);

        Assert.Equal(2, provider.Requests("token", "refresh_token=R1"));
    }

    [Fact]
    public async Task Refresh_InvalidGrant_NeedsReauthorization()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial)
            .Token("refresh_token=R1", 400, """{"error":"invalid_grant","error_description":"Token has been expired or revoked."}""")
            .Api("A2");
        var id = await provider.CreateAuthorizedAsync();
        fixture.Host.Time.Advance(TimeSpan.FromHours(2));

        var error = await Assert.ThrowsAsync<IntegrationUnavailableException>(() => CallAsync(provider, id));

        Assert.Equal("needs_reauthorization", error.Code);
        Assert.Equal(0, provider.Requests("api"));
        var integration = await fixture.Host.GetIntegrationAsync(id);
        Assert.Equal("needs_reauthorization", integration["status"]!.GetValue<string>());
        Assert.Equal("red", integration["health"]!.GetValue<string>());
        Assert.Contains("invalid_grant", integration["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

        // Authorizing again recovers.
        Assert.Equal("authorized", IntegrationsHost.Query(await fixture.Host.CompleteCallbackAsync(id))["status"]);
    }

    [Fact]
    public async Task Api401_RefreshesOnceAndRetriesOnce()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed).Api("A2");
        var id = await provider.CreateAuthorizedAsync();

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);

        Assert.Equal(2, provider.Requests("api"));
        Assert.Equal(1, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task Api401AfterRefresh_ReturnsTheSecond401WithoutLooping()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed).Api("never-valid");
        var id = await provider.CreateAuthorizedAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(provider, id)).Status);

        Assert.Equal(2, provider.Requests("api"));
        Assert.Equal(1, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task ExpirySignal_403_RefreshesAndRetries()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed).Api("A2", otherwise: 403);
        var id = await provider.CreateAuthorizedAsync(new JsonObject { ["expirySignal"] = new JsonObject { ["statusCodes"] = new JsonArray(401, 403) } });

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
        Assert.Equal(1, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task ExpirySignal_403NotConfigured_ReturnedAsIs()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed).Api("A2", otherwise: 403);
        var id = await provider.CreateAuthorizedAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await CallAsync(provider, id)).Status);
        Assert.Equal(0, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task ExpirySignal_BodyPatternOn200_RefreshesAndRetries()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed)
            .Api("A2", body: """{"ok":true,"user":"ada"}""", otherwise: 200, otherwiseBody: """{"ok":false,"error":"token_expired"}""");
        var id = await provider.CreateAuthorizedAsync(new JsonObject { ["expirySignal"] = new JsonObject { ["bodyPattern"] = "\"error\":\\s*\"token_expired\"" } });

        var (status, body) = await CallAsync(provider, id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("ada", body, StringComparison.Ordinal);
        Assert.Equal(1, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task Retry_After401_ResendsTheSameBody()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed).Api("A2");
        var id = await provider.CreateAuthorizedAsync();
        var stream = new MemoryStream("""{"name":"Ada"}"""u8.ToArray());

        var (status, _) = await CallAsync(provider, id, HttpMethod.Post, new StreamContent(stream) { Headers = { ContentType = new("application/json") } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(provider.Entries("api"), e => Assert.Equal("""{"name":"Ada"}""", e.RequestMessage!.Body));
        Assert.Equal(2, provider.Entries("api").Count());
    }

    [Fact]
    public async Task RefreshBuffer_Zero_DoesNotRefreshAStillValidToken()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed).Api("A1").Api("A2");
        var id = await provider.CreateAuthorizedAsync(new JsonObject { ["refreshBufferSeconds"] = 0 });

        fixture.Host.Time.Advance(TimeSpan.FromMinutes(59)); // one minute left: inside the default margin, outside a zero buffer
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
        Assert.Equal(0, provider.Requests("token", "grant_type=refresh_token"));

        fixture.Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
        Assert.Equal(1, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task Concurrency_200ParallelRequestsAtExpiry_ExactlyOneRefresh()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial)
            .TokenJson("refresh_token=R1", new { access_token = "A2", refresh_token = "R2", expires_in = 3600 }, delay: TimeSpan.FromMilliseconds(300))
            .Api("A2");
        var id = await provider.CreateAuthorizedAsync();
        fixture.Host.Time.Advance(TimeSpan.FromHours(1));

        using var client = fixture.Host.Connections.CreateClient(id);
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await client.GetAsync(provider.Url("api"));
            return response.StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(1, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task Concurrency_TwoHostsSharingTheDatabase_OneRefreshAndTheOtherReusesIt()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial)
            .TokenJson("refresh_token=R1", new { access_token = "A2", refresh_token = "R2", expires_in = 3600 }, delay: TimeSpan.FromMilliseconds(200))
            .Api("A2");
        var id = await provider.CreateAuthorizedAsync();
        fixture.Host.Time.Advance(TimeSpan.FromHours(1));
        // A second token service over the same database and lock: another host, with its own cache and gates.
        var hostA = fixture.Host.Services.GetRequiredService<FlowRuntime.Integrations.Tokens.TokenService>();
        var hostB = ActivatorUtilities.CreateInstance<FlowRuntime.Integrations.Tokens.TokenService>(fixture.Host.Services);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? hostA : hostB).GetAccessTokenAsync(id, null, default).AsTask()));

        Assert.All(results, r => Assert.Equal("A2", r.AccessToken));
        Assert.Equal(1, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task BackgroundRefresh_TokenExpiringWithinWindow_Refreshed()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Initial).Token("refresh_token=R1", 200, Refreshed).Api("A2");
        var id = await provider.CreateAuthorizedAsync();
        fixture.Host.Time.Advance(TimeSpan.FromMinutes(52)); // 8 minutes left: inside the 10-minute background window

        var due = await fixture.Host.Services.GetRequiredService<TokenRefreshService>().RunOnceAsync(default);

        Assert.True(due >= 1);
        Assert.Equal(1, provider.Requests("token", "refresh_token=R1"));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(provider, id)).Status);
    }

    [Fact]
    public async Task CreateClient_NotAuthorized_ThrowsWithoutSending()
    {
        var provider = fixture.NewProvider().Api("A1");
        var id = await provider.CreateAsync();

        var error = await Assert.ThrowsAsync<IntegrationUnavailableException>(() => CallAsync(provider, id));

        Assert.Equal("integration_not_authorized", error.Code);
        Assert.Equal(0, provider.Requests("api"));
        var unknown = await Assert.ThrowsAsync<IntegrationUnavailableException>(() => CallAsync(provider, "int_unknown"));
        Assert.Equal("integration_not_found", unknown.Code);
    }

    [Fact]
    public async Task CreateClient_Null_PlainClientWithoutToken()
    {
        var provider = fixture.NewProvider();
        fixture.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(provider.Path("plain")).UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200));
        using var client = fixture.Host.Connections.CreateClient(null);

        using var response = await client.GetAsync(provider.Url("plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(provider.Entries("plain").Single().RequestMessage!.Headers!.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("GET", 3)]
    [InlineData("PUT", 3)]
    [InlineData("DELETE", 3)]
    [InlineData("POST", 1)]
    [InlineData("PATCH", 1)]
    public async Task Retry_TransientFailure_RetriedOnlyForIdempotentMethods(string method, int expectedAttempts)
    {
        var provider = fixture.NewProvider();
        fixture.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(provider.Path("flaky")).UsingAnyMethod())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(503));
        using var client = fixture.Host.Connections.CreateClient(null);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), provider.Url("flaky")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(expectedAttempts, provider.Entries("flaky").Count());
    }
}
