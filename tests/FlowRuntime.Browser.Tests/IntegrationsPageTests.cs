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
}
