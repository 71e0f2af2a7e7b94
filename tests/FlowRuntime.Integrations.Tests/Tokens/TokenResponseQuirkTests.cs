using System.Net;
using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Tests.Infrastructure;

namespace FlowRuntime.Integrations.Tests.Tokens;

/// <summary>Token responses as providers really send them, each configured as data.</summary>
public sealed class TokenResponseQuirkTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private async Task AssertApiCallSucceedsAsync(MockProvider provider, string id)
    {
        using var client = fixture.Host.Connections.CreateClient(id);
        using var response = await client.GetAsync(provider.Url("api"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<DateTimeOffset?> ExpiresAtAsync(string id) =>
        (await fixture.Host.GetIntegrationAsync(id))["tokenExpiresAt"]?.GetValue<DateTimeOffset>();

    [Fact]
    public async Task TokenResponse_Json_Stored()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"json-token","expires_in":3600}""").Api("json-token");
        var id = await provider.CreateAuthorizedAsync();
        await AssertApiCallSucceedsAsync(provider, id);
        Assert.Equal(fixture.Host.Time.GetUtcNow().AddHours(1), await ExpiresAtAsync(id));
    }

    [Fact]
    public async Task TokenResponse_FormEncoded_Parsed()
    {
        var provider = fixture.NewProvider()
            .Token("authorization_code", 200, "access_token=form-token&scope=repo&token_type=bearer", "application/x-www-form-urlencoded").Api("form-token");
        var id = await provider.CreateAuthorizedAsync();
        await AssertApiCallSucceedsAsync(provider, id);
    }

    [Fact]
    public async Task TokenResponse_TextPlainBareToken_Parsed()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, "plain-token-value", "text/plain").Api("plain-token-value");
        var id = await provider.CreateAuthorizedAsync(new JsonObject { ["tokenRequest"] = new JsonObject { ["responseFormat"] = "text" } });
        await AssertApiCallSucceedsAsync(provider, id);
    }

    [Fact]
    public async Task TokenResponse_JsonSentAsTextPlain_Parsed()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"tp-json","expires_in":60}""", "text/plain").Api("tp-json");
        var id = await provider.CreateAuthorizedAsync();
        await AssertApiCallSucceedsAsync(provider, id);
    }

    [Fact]
    public async Task TokenResponse_NestedTokenPath_SlackAuthedUser()
    {
        var provider = fixture.NewProvider()
            .Token("authorization_code", 200, """{"ok":true,"access_token":"xoxb-bot","authed_user":{"id":"U1","access_token":"xoxp-user","scope":"chat:write"}}""")
            .Api("xoxp-user");
        var id = await provider.CreateAuthorizedAsync(new JsonObject { ["tokenRequest"] = new JsonObject { ["tokenPath"] = "authed_user.access_token" } });
        await AssertApiCallSucceedsAsync(provider, id);

        var values = await fixture.Host.Connections.GetTemplateValuesAsync(id, default);
        Assert.Equal("U1", values!["authed_user"]!["id"]!.GetValue<string>());
        Assert.Null(values["authed_user"]!["access_token"]);
    }

    [Fact]
    public async Task TokenResponse_ExpiresInAsString_Honoured()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"s","expires_in":"1800"}""");
        var id = await provider.CreateAuthorizedAsync();
        Assert.Equal(fixture.Host.Time.GetUtcNow().AddSeconds(1800), await ExpiresAtAsync(id));
    }

    [Fact]
    public async Task TokenResponse_ExpiresInMilliseconds_Converted()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"ms","expires_in":7200000}""");
        var id = await provider.CreateAuthorizedAsync(new JsonObject { ["tokenRequest"] = new JsonObject { ["expiresInUnit"] = "milliseconds" } });
        Assert.Equal(fixture.Host.Time.GetUtcNow().AddHours(2), await ExpiresAtAsync(id));
    }

    [Fact]
    public async Task TokenResponse_ExpiresInAbsent_TokenLivesUntilRejected()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"forever","refresh_token":"R"}""").Api("forever");
        var id = await provider.CreateAuthorizedAsync();
        Assert.Null(await ExpiresAtAsync(id));

        fixture.Host.Time.Advance(TimeSpan.FromDays(3));
        await AssertApiCallSucceedsAsync(provider, id);
        Assert.Equal(0, provider.Requests("token", "grant_type=refresh_token"));
    }

    [Fact]
    public async Task TokenResponse_ExpiresInAbsentWithDefaultLifetime_UsesDefault()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"access_token":"d"}""");
        var id = await provider.CreateAuthorizedAsync(new JsonObject { ["tokenRequest"] = new JsonObject { ["defaultLifetimeSeconds"] = 900 } });
        Assert.Equal(fixture.Host.Time.GetUtcNow().AddSeconds(900), await ExpiresAtAsync(id));
    }

    [Fact]
    public async Task TokenResponse_ErrorWithHttp200_IsAFailure()
    {
        // Zoho answers a bad code with HTTP 200 and {"error":"invalid_code"}.
        var provider = fixture.NewProvider().Token("authorization_code", 200, """{"error":"invalid_code"}""");
        var id = await provider.CreateAsync();
        var landed = await fixture.Host.CompleteCallbackAsync(id);
        Assert.Equal("token_request_failed", IntegrationsHost.Query(landed)["error"]);
        Assert.Contains("invalid_code", (await fixture.Host.GetIntegrationAsync(id))["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateValues_TokenResponseFields_ExposedWithoutTokens()
    {
        var provider = fixture.NewProvider()
            .Token("authorization_code", 200, """{"access_token":"sf","refresh_token":"sfr","instance_url":"https://eu12.my.salesforce.com","id_token":"x.y.z"}""");
        var id = await provider.CreateAuthorizedAsync();

        var values = await fixture.Host.Connections.GetTemplateValuesAsync(id, default);

        Assert.Equal("https://eu12.my.salesforce.com", values!["instance_url"]!.GetValue<string>());
        Assert.False(values.ContainsKey("access_token"));
        Assert.False(values.ContainsKey("refresh_token"));
        Assert.False(values.ContainsKey("id_token"));
        Assert.Null(await fixture.Host.Connections.GetTemplateValuesAsync("int_unknown", default));
    }
}
