using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FlowRuntime.Integrations.Tests.Templates;

/// <summary>Seed 001's templated <c>oauth</c> definition: one test per field, on the seed's Google-style example.</summary>
public sealed class TemplatedDefinitionTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private const string ClientId = "goog-client-id";
    private const string ClientSecret = "goog-client-secret-value";

    /// <summary>The seed's Google example, pointed at the mock provider.</summary>
    private static JsonObject SeedExample(MockProvider provider, bool withRefresh = true)
    {
        var oauth = new JsonObject
        {
            ["access_token"] = new JsonObject
            {
                ["url"] = provider.Url("token") + "?client_id={{CLIENT_ID}}&client_secret={{CLIENT_SECRET}}&grant_type=authorization_code&redirect_uri={{redirect_url}}",
                ["method"] = "POST",
            },
            ["authenticate_url"] = provider.Url("authorize") + "?client_id={{CLIENT_ID}}&redirect_uri={{redirect_url}}&response_type=code&scope=https://www.googleapis.com/auth/admin.directory.user&access_type=offline&prompt=consent",
        };
        if (withRefresh)
        {
            oauth["refresh"] = new JsonObject
            {
                ["url"] = provider.Url("token"),
                ["data"] = new JsonObject
                {
                    ["client_id"] = "{{ CLIENT_ID }}",
                    ["grant_type"] = "refresh_token",
                    ["client_secret"] = "{{ CLIENT_SECRET }}",
                    ["refresh_token"] = "{{ oauth.refresh_token }}",
                },
                ["method"] = "POST",
            };
        }

        return new JsonObject { ["oauth"] = oauth };
    }

    private static async Task<string> CreateAsync(MockProvider provider, JsonObject definition, JsonObject? variables = null)
    {
        var created = await provider.Host.CreateIntegrationAsync(new JsonObject
        {
            ["name"] = "Google (templated)",
            ["definition"] = definition,
            ["variables"] = variables ?? new JsonObject { ["CLIENT_ID"] = ClientId, ["CLIENT_SECRET"] = ClientSecret },
        });
        Assert.Contains("CLIENT_SECRET", created["variableNames"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.DoesNotContain(ClientSecret, created.ToJsonString(), StringComparison.Ordinal);
        return created["id"]!.GetValue<string>();
    }

    private static void TokenForCode(MockProvider provider, string body) =>
        provider.Server.Given(Request.Create().WithPath(provider.Path("token")).WithParam("code", "auth-code-123"))
            .AtPriority(5).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task AuthenticateUrl_RendersClientIdRedirectUrlAndAddsState()
    {
        var provider = fixture.NewProvider();
        var id = await CreateAsync(provider, SeedExample(provider));

        var url = await fixture.Host.GetAuthorizationUrlAsync(id);

        Assert.Equal(provider.Url("authorize"), url.GetLeftPart(UriPartial.Path));
        var query = IntegrationsHost.Query(url);
        Assert.Equal(ClientId, query["client_id"]);
        Assert.Equal($"{IntegrationsHost.PublicBaseUrl}/oauth/callback/{id}", query["redirect_uri"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
    }

    [Fact]
    public async Task AccessToken_SeedExample_RuntimeAddsTheCode()
    {
        var provider = fixture.NewProvider();
        TokenForCode(provider, """{"access_token":"g-at-1","refresh_token":"g-rt-1","expires_in":3599}""");
        var id = await CreateAsync(provider, SeedExample(provider));

        var landed = await fixture.Host.CompleteCallbackAsync(id);

        Assert.Equal("authorized", IntegrationsHost.Query(landed)["status"]);
        var request = provider.Entries("token").Single().RequestMessage!;
        Assert.Equal("auth-code-123", request.Query!["code"][0]);
        Assert.Equal(ClientSecret, request.Query["client_secret"][0]);
        Assert.Equal($"{IntegrationsHost.PublicBaseUrl}/oauth/callback/{id}", request.Query["redirect_uri"][0]);
    }

    [Fact]
    public async Task AccessToken_WithDataAndHeaders_CodeGoesInTheBody()
    {
        var provider = fixture.NewProvider().Token("\"code\":\"auth-code-123\"", 200, """{"access_token":"d-at","expires_in":3600}""");
        var definition = SeedExample(provider);
        definition["oauth"]!["access_token"] = new JsonObject
        {
            ["url"] = provider.Url("token"),
            ["method"] = "POST",
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json", ["X-Client"] = "{{ CLIENT_ID }}" },
            ["data"] = new JsonObject { ["client_id"] = "{{ CLIENT_ID }}", ["redirect_uri"] = "{{ redirect_url }}", ["grant_type"] = "authorization_code" },
        };
        var id = await CreateAsync(provider, definition);

        Assert.Equal("authorized", IntegrationsHost.Query(await fixture.Host.CompleteCallbackAsync(id))["status"]);

        var request = provider.Entries("token").Single().RequestMessage!;
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal(ClientId, body["client_id"]!.GetValue<string>());
        Assert.Equal($"{IntegrationsHost.PublicBaseUrl}/oauth/callback/{id}", body["redirect_uri"]!.GetValue<string>());
        Assert.Equal(ClientId, request.Headers!["X-Client"][0]);
    }

    [Fact]
    public async Task Refresh_UsesSavedRefreshTokenAndVariables()
    {
        var provider = fixture.NewProvider().Token("refresh_token=g-rt-1", 200, """{"access_token":"g-at-2","expires_in":3599}""").Api("g-at-2");
        TokenForCode(provider, """{"access_token":"g-at-1","refresh_token":"g-rt-1","expires_in":3599}""");
        var id = await CreateAsync(provider, SeedExample(provider));
        await fixture.Host.CompleteCallbackAsync(id);
        fixture.Host.Time.Advance(TimeSpan.FromHours(2));

        using var client = fixture.Host.Connections.CreateClient(id);
        using var response = await client.GetAsync(provider.Url("api"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refresh = provider.Entries("token").Single(e => e.RequestMessage!.Body?.Contains("grant_type=refresh_token", StringComparison.Ordinal) == true);
        Assert.Contains("client_secret=" + ClientSecret, refresh.RequestMessage!.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRefreshBlock_TokenIsPermanent()
    {
        var provider = fixture.NewProvider().Api("perm-at");
        TokenForCode(provider, """{"access_token":"perm-at","expires_in":60}""");
        var id = await CreateAsync(provider, SeedExample(provider, withRefresh: false));
        await fixture.Host.CompleteCallbackAsync(id);
        Assert.Null((await fixture.Host.GetIntegrationAsync(id))["tokenExpiresAt"]);
        fixture.Host.Time.Advance(TimeSpan.FromDays(30));

        using var client = fixture.Host.Connections.CreateClient(id);
        using var response = await client.GetAsync(provider.Url("api"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(provider.Entries("token"));
    }

    [Fact]
    public async Task NoRefreshBlock_RejectedToken_NeedsReauthorization()
    {
        var provider = fixture.NewProvider().Api("something-else");
        TokenForCode(provider, """{"access_token":"perm-at"}""");
        var id = await CreateAsync(provider, SeedExample(provider, withRefresh: false));
        await fixture.Host.CompleteCallbackAsync(id);

        using var client = fixture.Host.Connections.CreateClient(id);
        var error = await Assert.ThrowsAsync<IntegrationUnavailableException>(() => client.GetAsync(provider.Url("api")));

        Assert.Equal("needs_reauthorization", error.Code);
    }

    [Fact]
    public async Task WithoutCode_CallbackWithoutCodeAccepted()
    {
        var provider = fixture.NewProvider().Token(".*", 200, """{"access_token":"nc-at"}""");
        var definition = SeedExample(provider, withRefresh: false);
        definition["oauth"]!["without_code"] = true;
        definition["oauth"]!["access_token"]!["data"] = new JsonObject { ["client_id"] = "{{ CLIENT_ID }}" };
        var id = await CreateAsync(provider, definition);

        var landed = await fixture.Host.CompleteCallbackAsync(id, "shop=demo");

        Assert.Equal("authorized", IntegrationsHost.Query(landed)["status"]);
    }

    [Fact]
    public async Task OAuthFields_UsableInDefinitionAndSteps()
    {
        var provider = fixture.NewProvider();
        TokenForCode(provider, $$"""{"access_token":"sf-at-1","refresh_token":"sf-rt-1","instance_url":"{{provider.Url("instance")}}"}""");
        provider.Server.Given(Request.Create().WithPath(provider.Path("instance/token")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"access_token":"sf-at-2"}"""));
        provider.Api("sf-at-2");
        var definition = SeedExample(provider);
        definition["oauth"]!["refresh"]!["url"] = "{{ oauth.instance_url }}/token";
        var id = await CreateAsync(provider, definition);
        await fixture.Host.CompleteCallbackAsync(id);

        var values = await fixture.Host.Connections.GetTemplateValuesAsync(id, default);
        Assert.Equal(provider.Url("instance"), values!["instance_url"]!.GetValue<string>());

        // The API rejects the first token: the refresh goes to {{ oauth.instance_url }}/token.
        using var client = fixture.Host.Connections.CreateClient(id);
        using var response = await client.GetAsync(provider.Url("api"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(provider.Entries("instance/token"));
    }

    [Fact]
    public async Task MissingVariable_AuthorizeNamesThePlaceholder()
    {
        var provider = fixture.NewProvider();
        var id = await CreateAsync(provider, SeedExample(provider), new JsonObject { ["CLIENT_SECRET"] = ClientSecret });

        using var client = fixture.Host.Management();
        using var response = await client.GetAsync($"/api/integrations/{id}/authorize");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("integration_invalid", problem!["code"]!.GetValue<string>());
        Assert.Contains("CLIENT_ID", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Definition_WithoutAccessToken_Invalid()
    {
        using var client = fixture.Host.Management();
        using var response = await client.PostAsJsonAsync("/api/integrations", new { name = "Broken", definition = new { oauth = new { authenticate_url = "https://x.example/auth" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("integration_invalid", problem!["code"]!.GetValue<string>());
        Assert.Contains(problem["errors"]!.AsArray(), e => e!.GetValue<string>().Contains("access_token", StringComparison.Ordinal));
    }
}
