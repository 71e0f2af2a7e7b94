using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Tests.Infrastructure;
using NJsonSchema;

namespace FlowRuntime.Integrations.Tests.Presets;

/// <summary>The provider catalogue is data validated by its schema; presets fill URLs, defaults and quirks.</summary>
public sealed class PresetCatalogTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private static readonly string PresetsFolder = Path.Combine(AppContext.BaseDirectory, "Presets");

    [Fact]
    public async Task ProvidersJson_ValidAgainstItsSchema()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(PresetsFolder, "providers.schema.json"));

        var errors = schema.Validate(await File.ReadAllTextAsync(Path.Combine(PresetsFolder, "providers.json")));

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Fact]
    public async Task Schema_RejectsAPresetWithoutTokenUrl()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(PresetsFolder, "providers.schema.json"));

        var errors = schema.Validate("""{"providers":[{"key":"x","displayName":"X","authorizationUrl":"https://x.example/auth"}]}""");

        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task PresetsApi_ListsTheSeedProvidersAndZohoDataCentres()
    {
        using var client = fixture.Host.Management();
        var presets = (await client.GetFromJsonAsync<JsonArray>("/api/integrations/presets"))!;

        var keys = presets.Select(p => p!["key"]!.GetValue<string>()).ToList();
        foreach (var key in new[] { "google", "zoho", "intercom", "teamleader", "github", "slack", "salesforce", "microsoft", "hubspot", "dropbox", "quickbooks" })
        {
            Assert.Contains(key, keys);
        }

        var teamleader = presets.Single(p => p!["key"]!.GetValue<string>() == "teamleader")!;
        Assert.Equal("https://app.teamleader.eu/oauth2/authorize", teamleader["authorizationUrl"]!.GetValue<string>());
        Assert.Equal("https://app.teamleader.eu/oauth2/access_token", teamleader["tokenUrl"]!.GetValue<string>());
        var zoho = presets.Single(p => p!["key"]!.GetValue<string>() == "zoho")!;
        Assert.Equal(new[] { "com", "eu", "in", "com.au", "jp" }, zoho["variants"]!.AsArray().Select(v => v!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Preset_Google_FillsUrlsAndAuthorizeParams()
    {
        var created = await fixture.Host.CreateIntegrationAsync(new { name = "Google", preset = "google", clientId = "g", clientSecret = "gs", scopes = new[] { "email" } });

        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", created["authorizationUrl"]!.GetValue<string>());
        Assert.Equal("https://oauth2.googleapis.com/token", created["tokenUrl"]!.GetValue<string>());
        var query = IntegrationsHost.Query(await fixture.Host.GetAuthorizationUrlAsync(created["id"]!.GetValue<string>()));
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
    }

    [Fact]
    public async Task Preset_ZohoEu_ChangesOAuthUrlsAndApiBaseUrl()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"z-at","refresh_token":"z-rt","api_domain":"https://www.zohoapis.eu","expires_in":3600}""");
        var created = await fixture.Host.CreateIntegrationAsync(new
        {
            name = "Zoho EU",
            preset = "zoho",
            variant = "eu",
            clientId = "z",
            clientSecret = "zs",
            scopes = new[] { "ZohoCRM.modules.ALL", "ZohoCRM.settings.READ" },
            tokenUrl = provider.Url("token"), // the eu token endpoint, played locally
        });
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("https://accounts.zoho.eu/oauth/v2/auth", created["authorizationUrl"]!.GetValue<string>());
        Assert.Equal("https://accounts.zoho.eu/oauth/v2/token/revoke", created["revocationUrl"]!.GetValue<string>());
        Assert.Equal("https://www.zohoapis.eu", created["apiBaseUrl"]!.GetValue<string>());

        var authorizationUrl = await fixture.Host.GetAuthorizationUrlAsync(id);
        Assert.Equal("accounts.zoho.eu", authorizationUrl.Host);
        Assert.Equal("ZohoCRM.modules.ALL,ZohoCRM.settings.READ", IntegrationsHost.Query(authorizationUrl)["scope"]);

        Assert.Equal("authorized", IntegrationsHost.Query(await fixture.Host.CompleteCallbackAsync(id))["status"]);
        var values = await fixture.Host.Connections.GetTemplateValuesAsync(id, default);
        Assert.Equal("https://www.zohoapis.eu", values!["api_base_url"]!.GetValue<string>());
        Assert.Equal("https://www.zohoapis.eu", values["api_domain"]!.GetValue<string>());

        // Zoho's APIs take the token as "Zoho-oauthtoken <token>".
        fixture.Server.Given(WireMock.RequestBuilders.Request.Create().WithPath(provider.Path("crm")).WithHeader("Authorization", "Zoho-oauthtoken z-at"))
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200));
        using var client = fixture.Host.Connections.CreateClient(id);
        using var response = await client.GetAsync(provider.Url("crm"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(" ", "read write")]
    [InlineData(",", "read,write")]
    [InlineData("+", "read+write")]
    public async Task ScopeSeparator_JoinsScopes(string separator, string expected)
    {
        var provider = fixture.NewProvider();
        var id = await provider.CreateAsync(new JsonObject { ["scopeSeparator"] = separator });

        var query = IntegrationsHost.Query(await fixture.Host.GetAuthorizationUrlAsync(id));

        Assert.Equal(expected, query["scope"]);
    }

    [Fact]
    public async Task Preset_UnknownOrBadVariant_Invalid()
    {
        using var client = fixture.Host.Management();
        using var response = await client.PostAsJsonAsync("/api/integrations", new { name = "X", preset = "zoho", variant = "mars", clientId = "c" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("integration_invalid", problem!["code"]!.GetValue<string>());
        Assert.Contains("mars", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
