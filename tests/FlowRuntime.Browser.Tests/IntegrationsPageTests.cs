using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlowRuntime.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlowRuntime.Browser.Tests;

/// <summary>The integrations page in real headless Chromium against the real host.</summary>
public sealed class IntegrationsPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task The_add_integration_form_checks_its_fields_before_sending() =>
        browser.RunAsync(nameof(The_add_integration_form_checks_its_fields_before_sending), async page =>
        {
            await page.SignInAsync();
            await page.GetByTestId("nav-integrations").ClickAsync();
            await page.GetByTestId("add-integration").ClickAsync();
            var form = page.GetByTestId("integration-form");
            await Expect(form).ToBeVisibleAsync();

            await page.GetByTestId("integration-save").ClickAsync();
            await Expect(form.Locator(".field-error")).ToHaveTextAsync(
                ["Name is required.", "Client ID is required.", "Authorization URL is required.", "Token URL is required."]);

            await page.GetByTestId("integration-name").FillAsync("Teamleader");
            await page.GetByTestId("integration-client-id").FillAsync("client-1");
            await page.GetByTestId("integration-authorization-url").FillAsync("app.teamleader.eu/oauth2/authorize");
            await page.GetByTestId("integration-token-url").FillAsync("ftp://app.teamleader.eu/oauth2/access_token");
            await page.GetByTestId("integration-save").ClickAsync();
            await Expect(form.Locator(".field-error")).ToHaveTextAsync(["Enter an absolute http(s) URL.", "Enter an absolute http(s) URL."]);

            // Client credentials: no authorization URL, but the secret becomes required.
            await page.GetByTestId("advanced-toggle").ClickAsync();
            await page.GetByTestId("integration-grant-type").SelectOptionAsync("client_credentials");
            await Expect(page.GetByTestId("integration-authorization-url")).ToHaveCountAsync(0);
            await page.GetByTestId("integration-token-url").FillAsync("https://app.teamleader.eu/oauth2/access_token");
            await page.GetByTestId("integration-save").ClickAsync();
            await Expect(form.Locator(".field-error")).ToHaveTextAsync(["Client secret is required for the client credentials grant."]);
            await page.ScreenshotAsync("06-integrations-form");

            await page.GetByTestId("integration-cancel").ClickAsync();
            await Expect(form).ToHaveCountAsync(0);
        });

    [Fact]
    public Task Adds_an_integration_copies_its_callback_url_and_authorizes_it_at_the_provider() =>
        browser.RunAsync(nameof(Adds_an_integration_copies_its_callback_url_and_authorizes_it_at_the_provider), async page =>
        {
            await using var provider = await TestAuthorizationServer.StartAsync();
            await page.SignInAsync();
            await page.GetByTestId("nav-integrations").ClickAsync();
            await Expect(page.GetByTestId("add-integration")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("error-banner")).ToHaveCountAsync(0);

            // The form of seed 000: name, client id, secret, scopes, authorization URL, token URL.
            await page.GetByTestId("add-integration").ClickAsync();
            await page.GetByTestId("integration-name").FillAsync("Test CRM");
            await page.GetByTestId("integration-client-id").FillAsync(TestAuthorizationServer.ClientId);
            await page.GetByTestId("integration-client-secret").FillAsync(TestAuthorizationServer.ClientSecret);
            await page.GetByTestId("integration-scopes").FillAsync("contacts, deals");
            await page.GetByTestId("integration-authorization-url").FillAsync(provider.AuthorizationUrl);
            await page.GetByTestId("integration-token-url").FillAsync(provider.TokenUrl);
            await page.GetByTestId("integration-save").ClickAsync();

            // The callback URL to paste into the provider's app settings: read-only, on this host, with Copy.
            await Expect(page.GetByTestId("integration-created")).ToBeVisibleAsync();
            var callback = page.GetByTestId("callback-url");
            await Expect(callback).Not.ToBeEditableAsync();
            await Expect(callback).ToHaveValueAsync(new Regex("^" + Regex.Escape(browser.BaseAddress.ToString().TrimEnd('/')) + "/\\S+$"));
            var callbackUrl = await callback.InputValueAsync();
            await page.GetByTestId("copy-callback-url").ClickAsync();
            await Expect(page.GetByTestId("copy-callback-url")).ToHaveTextAsync("Copied!");
            Assert.Equal(callbackUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

            var row = page.Locator("[data-testid^='integration-row-'][data-name='Test CRM']");
            await Expect(row).ToHaveCountAsync(1);
            var id = (await row.GetAttributeAsync("data-testid"))!["integration-row-".Length..];
            await Expect(page.GetByTestId($"status-{id}")).ToHaveAttributeAsync("data-status", "incomplete");
            await Expect(page.GetByTestId($"health-{id}")).ToHaveAttributeAsync("data-health", "yellow");
            await page.ScreenshotAsync("07-integration-created");

            // Authorize → the provider (auto-approves) → the host's callback → back on this page with the banner.
            await page.GetByTestId("created-authorize").ClickAsync();
            await Expect(page.GetByTestId("auth-success-banner")).ToHaveTextAsync("All set! Your authorization is complete!");
            await Expect(page.GetByTestId("auth-integration-name")).ToHaveTextAsync("Test CRM");
            await Expect(page).ToHaveURLAsync(new Regex("/integrations$"));
            await Expect(page.GetByTestId($"status-{id}")).ToHaveAttributeAsync("data-status", "authorized");
            Assert.Contains(provider.Events, e => e.StartsWith("authorize scope=contacts deals pkce=S256", StringComparison.Ordinal));
            Assert.Contains("token issued", provider.Events);
            Assert.Equal(new Uri(callbackUrl).AbsolutePath, provider.RedirectUris.Single());
            await page.ScreenshotAsync("08-integrations");

            // The API agrees, and never returns the secret.
            using var api = browser.Host.CreateManagementClient();
            var json = await api.GetStringAsync($"/api/integrations/{id}");
            var integration = JsonNode.Parse(json)!;
            Assert.Equal("authorized", integration["status"]!.GetValue<string>());
            Assert.Equal(callbackUrl, integration["callbackUrl"]!.GetValue<string>());
            Assert.DoesNotContain(TestAuthorizationServer.ClientSecret, json, StringComparison.Ordinal);

            // The logs dialog shows what happened.
            await page.GetByTestId($"logs-{id}").ClickAsync();
            await Expect(page.GetByTestId("log-row-0")).ToBeVisibleAsync();
            await page.GetByTestId("logs-close").ClickAsync();
        });

    [Fact]
    public Task A_preset_and_its_data_centre_fill_the_form_and_the_server_keeps_the_variant() =>
        browser.RunAsync(nameof(A_preset_and_its_data_centre_fill_the_form_and_the_server_keeps_the_variant), async page =>
        {
            await page.SignInAsync();
            await page.GetByTestId("nav-integrations").ClickAsync();
            await page.GetByTestId("add-integration").ClickAsync();
            await page.GetByTestId("integration-preset").SelectOptionAsync("zoho");
            await page.GetByTestId("integration-variant").SelectOptionAsync("eu");
            await Expect(page.GetByTestId("integration-name")).ToHaveValueAsync("Zoho");
            await Expect(page.GetByTestId("integration-authorization-url")).ToHaveValueAsync("https://accounts.zoho.eu/oauth/v2/auth");
            await Expect(page.GetByTestId("integration-token-url")).ToHaveValueAsync("https://accounts.zoho.eu/oauth/v2/token");
            await page.GetByTestId("integration-name").FillAsync("Zoho EU");
            await page.GetByTestId("integration-client-id").FillAsync("zoho-client");
            await page.GetByTestId("integration-client-secret").FillAsync("zoho-secret");
            await page.GetByTestId("integration-scopes").FillAsync("ZohoCRM.modules.ALL");
            await page.GetByTestId("integration-save").ClickAsync();
            await Expect(page.GetByTestId("integration-created")).ToBeVisibleAsync();

            var row = page.Locator("[data-testid^='integration-row-'][data-name='Zoho EU']");
            var id = (await row.GetAttributeAsync("data-testid"))!["integration-row-".Length..];
            using var api = browser.Host.CreateManagementClient();
            var integration = await api.GetFromJsonAsync<JsonObject>($"/api/integrations/{id}") ?? throw new InvalidOperationException("no integration");
            Assert.Equal("zoho", integration["preset"]!.GetValue<string>());
            Assert.Equal("eu", integration["variant"]!.GetValue<string>());
            Assert.Equal("https://www.zohoapis.eu", integration["apiBaseUrl"]!.GetValue<string>());
            Assert.Equal("https://accounts.zoho.eu/oauth/v2/token/revoke", integration["revocationUrl"]!.GetValue<string>());

            // Editing shows the same data centre.
            await page.GetByTestId("created-close").ClickAsync();
            await page.GetByTestId($"edit-{id}").ClickAsync();
            await Expect(page.GetByTestId("integration-variant")).ToHaveValueAsync("eu");
            await Expect(page.GetByTestId("callback-url")).ToHaveValueAsync(integration["callbackUrl"]!.GetValue<string>());
        });

    [Fact]
    public Task Disconnects_and_reconnects_an_authorization_code_integration() =>
        browser.RunAsync(nameof(Disconnects_and_reconnects_an_authorization_code_integration), async page =>
        {
            await using var provider = await TestAuthorizationServer.StartAsync();
            await page.SignInAsync();
            await page.GetByTestId("nav-integrations").ClickAsync();
            await page.GetByTestId("add-integration").ClickAsync();
            await page.GetByTestId("integration-name").FillAsync("Reconnecting CRM");
            await page.GetByTestId("integration-client-id").FillAsync(TestAuthorizationServer.ClientId);
            await page.GetByTestId("integration-client-secret").FillAsync(TestAuthorizationServer.ClientSecret);
            await page.GetByTestId("integration-authorization-url").FillAsync(provider.AuthorizationUrl);
            await page.GetByTestId("integration-token-url").FillAsync(provider.TokenUrl);
            await page.GetByTestId("integration-save").ClickAsync();
            var row = page.Locator("[data-testid^='integration-row-'][data-name='Reconnecting CRM']");
            await Expect(row).ToHaveCountAsync(1);
            var id = (await row.GetAttributeAsync("data-testid"))!["integration-row-".Length..];

            await page.GetByTestId($"authorize-{id}").ClickAsync();
            await Expect(page.GetByTestId("auth-success-banner")).ToBeVisibleAsync();
            await Expect(page.GetByTestId($"status-{id}")).ToHaveAttributeAsync("data-status", "authorized");

            await page.GetByTestId($"disconnect-{id}").ClickAsync();
            await Expect(page.GetByTestId($"status-{id}")).ToHaveAttributeAsync("data-status", "disconnected");
            await Expect(page.GetByTestId($"disconnect-{id}")).ToHaveCountAsync(0);

            await page.GetByTestId($"reconnect-{id}").ClickAsync();
            await Expect(page.GetByTestId("auth-success-banner")).ToHaveTextAsync("All set! Your authorization is complete!");
            await Expect(page.GetByTestId($"status-{id}")).ToHaveAttributeAsync("data-status", "authorized");
            Assert.Equal(2, provider.Events.Count(e => e == "token issued"));

            await page.GetByTestId($"delete-{id}").ClickAsync();
            await Expect(page.GetByTestId("confirm-dialog")).ToBeVisibleAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId($"integration-row-{id}")).ToHaveCountAsync(0);
            using var api = browser.Host.CreateManagementClient();
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await api.GetAsync($"/api/integrations/{id}")).StatusCode);
        });

    [Fact]
    public Task Connects_a_client_credentials_integration_without_a_browser_round_trip() =>
        browser.RunAsync(nameof(Connects_a_client_credentials_integration_without_a_browser_round_trip), async page =>
        {
            await using var provider = await TestAuthorizationServer.StartAsync();
            await page.SignInAsync();
            await page.GetByTestId("nav-integrations").ClickAsync();
            await page.GetByTestId("add-integration").ClickAsync();
            await page.GetByTestId("advanced-toggle").ClickAsync();
            await page.GetByTestId("integration-grant-type").SelectOptionAsync("client_credentials");
            await page.GetByTestId("integration-name").FillAsync("Server to server");
            await page.GetByTestId("integration-client-id").FillAsync(TestAuthorizationServer.ClientId);
            await page.GetByTestId("integration-client-secret").FillAsync(TestAuthorizationServer.ClientSecret);
            await page.GetByTestId("integration-token-url").FillAsync(provider.TokenUrl);
            await page.GetByTestId("integration-save").ClickAsync();
            await Expect(page.GetByTestId("created-authorize")).ToHaveCountAsync(0);
            await page.GetByTestId("created-connect").ClickAsync();

            var row = page.Locator("[data-testid^='integration-row-'][data-name='Server to server']");
            var id = (await row.GetAttributeAsync("data-testid"))!["integration-row-".Length..];
            await Expect(page.GetByTestId($"status-{id}")).ToHaveAttributeAsync("data-status", "authorized");
            await Expect(page.GetByTestId("error-banner")).ToHaveCountAsync(0);
            Assert.Contains("token issued (client credentials)", provider.Events);
        });
}
