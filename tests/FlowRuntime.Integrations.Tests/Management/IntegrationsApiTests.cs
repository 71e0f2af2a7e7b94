using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Tests.Infrastructure;

namespace FlowRuntime.Integrations.Tests.Management;

/// <summary>The management API contract: shapes, validation, write-only secrets, errors as problem details.</summary>
public sealed class IntegrationsApiTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    [Fact]
    public async Task Create_ReturnsContractShape()
    {
        var created = await fixture.Host.CreateIntegrationAsync(new
        {
            name = "Teamleader",
            clientId = "tl",
            clientSecret = "tl-secret-value",
            scopes = new[] { "contacts" },
            authorizationUrl = "https://app.teamleader.eu/oauth2/authorize",
            tokenUrl = "https://app.teamleader.eu/oauth2/access_token",
            authorizeParams = new { prompt = "consent" },
            clientAuth = "body",
        });

        foreach (var field in new[] { "id", "name", "grantType", "status", "health", "callbackUrl", "clientId", "scopes", "authorizationUrl", "tokenUrl", "authorizeParams", "clientAuth", "usePkce", "hasClientSecret" })
        {
            Assert.True(created.ContainsKey(field), field);
        }

        Assert.Equal("authorization_code", created["grantType"]!.GetValue<string>());
        Assert.Equal("incomplete", created["status"]!.GetValue<string>());
        Assert.Equal("yellow", created["health"]!.GetValue<string>());
        Assert.Equal("body", created["clientAuth"]!.GetValue<string>());
        Assert.True(created["usePkce"]!.GetValue<bool>());
        Assert.Equal("consent", created["authorizeParams"]!["prompt"]!.GetValue<string>());
        Assert.DoesNotContain("tl-secret-value", created.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Invalid_ProblemWithEveryError()
    {
        using var client = fixture.Host.Management();
        using var response = await client.PostAsJsonAsync("/api/integrations", new { grantType = "password", clientAuth = "header", scopeSeparator = ";" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("integration_invalid", problem["code"]!.GetValue<string>());
        var errors = problem["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.StartsWith("name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("grantType", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("clientAuth", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("scopeSeparator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_KeepsSecretWhenOmitted_DeleteRemoves()
    {
        var created = await fixture.Host.CreateIntegrationAsync(new { name = "A", clientId = "a", clientSecret = "a-secret-value", authorizationUrl = "https://a.example/auth", tokenUrl = "https://a.example/token" });
        var id = created["id"]!.GetValue<string>();
        using var client = fixture.Host.Management();

        using var updated = await client.PutAsJsonAsync($"/api/integrations/{id}", new { name = "B", clientId = "b", authorizationUrl = "https://a.example/auth", tokenUrl = "https://a.example/token" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = (await updated.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("B", body["name"]!.GetValue<string>());
        Assert.True(body["hasClientSecret"]!.GetValue<bool>());

        using var deleted = await client.DeleteAsync($"/api/integrations/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await client.GetAsync($"/api/integrations/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("not_found", (await gone.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/api/integrations/int_nope")]
    [InlineData("PUT", "/api/integrations/int_nope")]
    [InlineData("DELETE", "/api/integrations/int_nope")]
    [InlineData("GET", "/api/integrations/int_nope/authorize")]
    [InlineData("POST", "/api/integrations/int_nope/connect")]
    [InlineData("POST", "/api/integrations/int_nope/disconnect")]
    [InlineData("GET", "/api/integrations/int_nope/logs")]
    public async Task UnknownIntegration_NotFoundProblem(string method, string path)
    {
        using var client = fixture.Host.Management();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { name = "x", clientId = "x", authorizationUrl = "https://x.example/a", tokenUrl = "https://x.example/t" });
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheIntegrationsApi()
    {
        using var client = fixture.Host.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/integrations/{id}/authorize", document, StringComparison.Ordinal);
        Assert.DoesNotContain("/oauth/callback", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_RequiresTheManagementKey()
    {
        using var client = fixture.Host.CreateClient();
        using var response = await client.GetAsync("/api/integrations");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RecordUse_FailureTurnsHealthRedAndLogsIt()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"h-at"}""");
        var id = await provider.CreateAuthorizedAsync();
        Assert.Equal("yellow", (await fixture.Host.GetIntegrationAsync(id))["health"]!.GetValue<string>());

        await fixture.Host.Connections.RecordUseAsync(id, new FlowRuntime.Abstractions.Integrations.IntegrationUse(false, 500, TimeSpan.FromMilliseconds(12), "HTTP 500 from GET /contacts", "Fetch Variables"), default);

        Assert.Equal("red", (await fixture.Host.GetIntegrationAsync(id))["health"]!.GetValue<string>());
        var entry = (await fixture.Host.GetLogsAsync(id)).First()!;
        Assert.Equal("api_call", entry["kind"]!.GetValue<string>());
        Assert.False(entry["success"]!.GetValue<bool>());
        Assert.Equal(500, entry["httpStatus"]!.GetValue<int>());
        Assert.Equal(12, entry["durationMs"]!.GetValue<int>());
        Assert.Equal("HTTP 500 from GET /contacts", entry["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_FiltersByStatus()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"l-at"}""");
        var authorized = await provider.CreateAuthorizedAsync();
        var incomplete = await provider.CreateAsync();
        using var client = fixture.Host.Management();

        var list = (await client.GetFromJsonAsync<JsonArray>("/api/integrations?status=authorized"))!.Select(i => i!["id"]!.GetValue<string>()).ToList();

        Assert.Contains(authorized, list);
        Assert.DoesNotContain(incomplete, list);
    }
}
