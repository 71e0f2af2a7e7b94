using System.Net;
using System.Text.Json.Nodes;
using FlowRuntime.Integrations.Tests.Infrastructure;

namespace FlowRuntime.Integrations.Tests.Authorization;

/// <summary>Provider failures on the way back: always a redirect with a code, never a 500 page.</summary>
public sealed class CallbackTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private const string Tokens = """{"access_token":"A1","refresh_token":"R1","expires_in":3600,"token_type":"Bearer"}""";

    [Fact]
    public async Task Callback_AccessDenied_StatusErrorAndFailureRedirect()
    {
        var provider = fixture.NewProvider();
        var id = await provider.CreateAsync(new JsonObject { ["successRedirectUrl"] = "https://admin.example/ok", ["failureRedirectUrl"] = "https://admin.example/failed" });

        var landed = await fixture.Host.CompleteCallbackAsync(id, "error=access_denied&error_description=The+user+said+no");

        Assert.Equal("https://admin.example/failed", landed.GetLeftPart(UriPartial.Path));
        var query = IntegrationsHost.Query(landed);
        Assert.Equal(id, query["integrationId"]);
        Assert.Equal("error", query["status"]);
        Assert.Equal("access_denied", query["error"]);
        var integration = await fixture.Host.GetIntegrationAsync(id);
        Assert.Equal("error", integration["status"]!.GetValue<string>());
        Assert.Contains("The user said no", integration["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(await fixture.Host.GetLogsAsync(id), l => l!["kind"]!.GetValue<string>() == "callback" && !l["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Callback_UnknownState_RejectedAndStatusUnchanged()
    {
        var provider = fixture.NewProvider();
        var id = await provider.CreateAsync();

        var landed = await fixture.Host.CallbackAsync(id, "code=abc&state=forged");

        var query = IntegrationsHost.Query(landed);
        Assert.Equal($"{IntegrationsHost.PublicBaseUrl}/integrations", landed.GetLeftPart(UriPartial.Path));
        Assert.Equal("invalid_state", query["error"]);
        Assert.Equal("incomplete", (await fixture.Host.GetIntegrationAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(0, provider.Requests("token"));
    }

    [Fact]
    public async Task Callback_ReplayedState_SecondUseRejected()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Tokens);
        var id = await provider.CreateAsync();
        var state = IntegrationsHost.Query(await fixture.Host.GetAuthorizationUrlAsync(id))["state"]!;

        var first = await fixture.Host.CallbackAsync(id, "code=abc&state=" + Uri.EscapeDataString(state));
        var second = await fixture.Host.CallbackAsync(id, "code=abc&state=" + Uri.EscapeDataString(state));

        Assert.Equal("authorized", IntegrationsHost.Query(first)["status"]);
        Assert.Equal("invalid_state", IntegrationsHost.Query(second)["error"]);
        Assert.Equal(1, provider.Requests("token"));
    }

    [Fact]
    public async Task Callback_StateOfAnotherIntegration_Rejected()
    {
        var provider = fixture.NewProvider();
        var first = await provider.CreateAsync();
        var second = await provider.CreateAsync();
        var state = IntegrationsHost.Query(await fixture.Host.GetAuthorizationUrlAsync(first))["state"]!;

        var landed = await fixture.Host.CallbackAsync(second, "code=abc&state=" + Uri.EscapeDataString(state));

        Assert.Equal("invalid_state", IntegrationsHost.Query(landed)["error"]);
    }

    [Fact]
    public async Task Callback_ExpiredState_Rejected()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Tokens);
        var id = await provider.CreateAsync();
        var state = IntegrationsHost.Query(await fixture.Host.GetAuthorizationUrlAsync(id))["state"]!;
        fixture.Host.Time.Advance(TimeSpan.FromMinutes(16));

        var landed = await fixture.Host.CallbackAsync(id, "code=abc&state=" + Uri.EscapeDataString(state));

        Assert.Equal("invalid_state", IntegrationsHost.Query(landed)["error"]);
        Assert.Equal(0, provider.Requests("token"));
    }

    [Theory]
    [InlineData(400, """{"error":"invalid_grant","error_description":"Bad code"}""", "invalid_grant")]
    [InlineData(500, "<html>oops</html>", "HTTP 500")]
    public async Task Callback_TokenEndpointFails_StatusErrorWithProviderMessage(int status, string body, string expected)
    {
        var provider = fixture.NewProvider().Token("authorization_code", status, body, status == 500 ? "text/html" : "application/json");
        var id = await provider.CreateAsync();

        var landed = await fixture.Host.CompleteCallbackAsync(id);

        Assert.Equal("token_request_failed", IntegrationsHost.Query(landed)["error"]);
        var integration = await fixture.Host.GetIntegrationAsync(id);
        Assert.Equal("error", integration["status"]!.GetValue<string>());
        Assert.Contains(expected, integration["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        var log = (await fixture.Host.GetLogsAsync(id)).First(l => l!["kind"]!.GetValue<string>() == "callback")!;
        Assert.Equal(status, log["httpStatus"]!.GetValue<int>());
    }

    [Fact]
    public async Task Callback_ExchangeRequest_SendsCodeRedirectUriVerifierAndBasicAuth()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Tokens);
        var id = await provider.CreateAuthorizedAsync();

        var request = provider.Entries("token").Single().RequestMessage;
        var form = System.Web.HttpUtility.ParseQueryString(request!.Body!);
        Assert.Equal("auth-code-123", form["code"]);
        Assert.Equal($"{IntegrationsHost.PublicBaseUrl}/oauth/callback/{id}", form["redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(form["code_verifier"]));
        Assert.StartsWith("Basic ", request.Headers!["Authorization"][0], StringComparison.Ordinal);
        Assert.Null(form["client_secret"]);
    }

    [Fact]
    public async Task Callback_IssFromAnotherIssuer_RejectedAsMixUp()
    {
        var provider = fixture.NewProvider().Token("authorization_code", 200, Tokens);
        var id = await provider.CreateAsync(new JsonObject
        {
            ["issuer"] = provider.Url(""),
            ["revocationUrl"] = provider.Url("revoke"),
            ["usePkce"] = true,
        });

        var landed = await fixture.Host.CompleteCallbackAsync(id, "code=abc&iss=" + Uri.EscapeDataString("https://evil.example"));

        Assert.Equal("issuer_mismatch", IntegrationsHost.Query(landed)["error"]);
        Assert.Equal(0, provider.Requests("token"));
    }

    [Fact]
    public async Task Callback_MissingCode_Error()
    {
        var provider = fixture.NewProvider();
        var id = await provider.CreateAsync();

        var landed = await fixture.Host.CompleteCallbackAsync(id, "foo=bar");

        Assert.Equal("missing_code", IntegrationsHost.Query(landed)["error"]);
    }

    [Fact]
    public async Task Callback_UnknownIntegration_RedirectsNot500()
    {
        var landed = await fixture.Host.CallbackAsync("int_missing", "code=abc&state=x");

        Assert.Equal("integration_not_found", IntegrationsHost.Query(landed)["error"]);
    }

    [Fact]
    public async Task Callback_IsNotBehindTheApiKey()
    {
        using var client = fixture.Host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/oauth/callback/int_missing?code=x&state=y");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
