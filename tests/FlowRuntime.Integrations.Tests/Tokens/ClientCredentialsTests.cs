using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Tests.Infrastructure;

namespace FlowRuntime.Integrations.Tests.Tokens;

/// <summary>Seed 004's client-credentials options against providers that want them each way.</summary>
public sealed class ClientCredentialsTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private static async Task<string> CreateAsync(MockProvider provider, JsonObject? extra = null)
    {
        var body = new JsonObject
        {
            ["name"] = "Machine",
            ["grantType"] = "client_credentials",
            ["clientId"] = "cc-client",
            ["clientSecret"] = "cc-secret-value",
            ["scopes"] = new JsonArray("scope"),
            ["tokenUrl"] = provider.Url("token"),
        };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return (await provider.Host.CreateIntegrationAsync(body))["id"]!.GetValue<string>();
    }

    private async Task<HttpResponseMessage> ConnectAsync(string id)
    {
        using var client = fixture.Host.Management();
        return await client.PostAsync($"/api/integrations/{id}/connect", null);
    }

    [Fact]
    public async Task Connect_Defaults_FormGrantScopeAndBasicAuth()
    {
        var provider = fixture.NewProvider().Token("grant_type=client_credentials", 200, """{"access_token":"cc-at","expires_in":3600}""").Api("cc-at");
        var id = await CreateAsync(provider);

        using var response = await ConnectAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("authorized", (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        var request = provider.Entries("token").Single().RequestMessage!;
        Assert.Equal("application/x-www-form-urlencoded", request.Headers!["Content-Type"][0].Split(';')[0]);
        Assert.Contains("scope=scope", request.Body, StringComparison.Ordinal);
        Assert.StartsWith("Basic ", request.Headers["Authorization"][0], StringComparison.Ordinal);

        // Cached: calls do not fetch again until shortly before expiry.
        using var client = fixture.Host.Connections.CreateClient(id);
        for (var i = 0; i < 3; i++)
        {
            using var api = await client.GetAsync(provider.Url("api"));
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        }

        Assert.Single(provider.Entries("token"));
    }

    [Fact]
    public async Task Connect_CustomOptions_JsonBodyHeadersQueryGrantValueTokenPathAndBodyAuth()
    {
        var provider = fixture.NewProvider().Token("\"grant_type\":\"custom_grant\"", 200, """{"data":{"token":"nested-cc","expires_in":600}}""").Api("nested-cc");
        var id = await CreateAsync(provider, new JsonObject
        {
            ["clientAuth"] = "body",
            ["tokenRequest"] = new JsonObject
            {
                ["contentType"] = "application/json",
                ["grantTypeValue"] = "custom_grant",
                ["headers"] = new JsonObject { ["X-Tenant"] = "acme" },
                ["body"] = new JsonObject { ["audience"] = "https://api.example" },
                ["query"] = new JsonObject { ["api-version"] = "2" },
                ["tokenPath"] = "data.token",
                ["expiresInPath"] = "data.expires_in",
            },
        });

        using var response = await ConnectAsync(id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = provider.Entries("token").Single().RequestMessage!;
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal("cc-client", body["client_id"]!.GetValue<string>());
        Assert.Equal("cc-secret-value", body["client_secret"]!.GetValue<string>());
        Assert.Equal("https://api.example", body["audience"]!.GetValue<string>());
        Assert.Equal("acme", request.Headers!["X-Tenant"][0]);
        Assert.Equal("2", request.Query!["api-version"][0]);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal(fixture.Host.Time.GetUtcNow().AddSeconds(600), (await fixture.Host.GetIntegrationAsync(id))["tokenExpiresAt"]!.GetValue<DateTimeOffset>());

        using var client = fixture.Host.Connections.CreateClient(id);
        using var api = await client.GetAsync(provider.Url("api"));
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task Connect_ProviderRejects_ReportsProviderError()
    {
        var provider = fixture.NewProvider().Token(".*", 401, """{"error":"invalid_client","error_description":"Unknown client"}""");
        var id = await CreateAsync(provider);

        using var response = await ConnectAsync(id);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("token_request_failed", problem!["code"]!.GetValue<string>());
        Assert.Contains("invalid_client", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("error", (await fixture.Host.GetIntegrationAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnDemand_WithoutConnect_FetchesOnFirstCallAndAgainNearExpiry()
    {
        var provider = fixture.NewProvider().Token("grant_type=client_credentials", 200, """{"access_token":"od-at","expires_in":3600}""").Api("od-at");
        var id = await CreateAsync(provider);
        using var client = fixture.Host.Connections.CreateClient(id);

        using (var first = await client.GetAsync(provider.Url("api")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        fixture.Host.Time.Advance(TimeSpan.FromMinutes(56));
        using (var second = await client.GetAsync(provider.Url("api")))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        Assert.Equal(2, provider.Entries("token").Count());
    }

    [Fact]
    public async Task Connect_AuthorizationCodeIntegration_Rejected()
    {
        var provider = fixture.NewProvider();
        var id = await provider.CreateAsync();

        using var response = await ConnectAsync(id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("grant_type_mismatch", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }
}
