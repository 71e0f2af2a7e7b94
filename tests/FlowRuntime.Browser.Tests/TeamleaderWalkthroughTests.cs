using FlowRuntime.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlowRuntime.Browser.Tests;

/// <summary>
/// The "done when", as a new user does it in the browser: sign in, create and authorize an
/// integration, build the Teamleader-style flow (ask an id → fetch the contact through the integration →
/// reply with the last name) visually, publish it and chat with it.
/// </summary>
public sealed class TeamleaderWalkthroughTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Builds_the_teamleader_style_flow_on_an_authorized_integration_and_chats_with_it() =>
        browser.RunAsync(nameof(Builds_the_teamleader_style_flow_on_an_authorized_integration_and_chats_with_it), async page =>
        {
            await using var provider = await TestAuthorizationServer.StartAsync();
            await page.SignInAsync();

            // The admin part: add the integration and authorize it.
            await page.GetByTestId("nav-integrations").ClickAsync();
            await page.GetByTestId("add-integration").ClickAsync();
            await page.GetByTestId("integration-name").FillAsync("Teamleader");
            await page.GetByTestId("integration-client-id").FillAsync(TestAuthorizationServer.ClientId);
            await page.GetByTestId("integration-client-secret").FillAsync(TestAuthorizationServer.ClientSecret);
            await page.GetByTestId("integration-scopes").FillAsync("contacts");
            await page.GetByTestId("integration-authorization-url").FillAsync(provider.AuthorizationUrl);
            await page.GetByTestId("integration-token-url").FillAsync(provider.TokenUrl);
            await page.GetByTestId("integration-save").ClickAsync();
            await page.GetByTestId("created-authorize").ClickAsync();
            await Expect(page.GetByTestId("auth-success-banner")).ToHaveTextAsync("All set! Your authorization is complete!");
            var row = page.Locator("[data-testid^='integration-row-'][data-name='Teamleader']");
            var integrationId = (await row.GetAttributeAsync("data-testid"))!["integration-row-".Length..];

            // A second integration that is never authorized must not be offered to flow steps.
            await page.GetByTestId("add-integration").ClickAsync();
            await page.GetByTestId("integration-name").FillAsync("Unfinished");
            await page.GetByTestId("integration-client-id").FillAsync("other-client");
            await page.GetByTestId("integration-authorization-url").FillAsync(provider.AuthorizationUrl);
            await page.GetByTestId("integration-token-url").FillAsync(provider.TokenUrl);
            await page.GetByTestId("integration-save").ClickAsync();
            await page.GetByTestId("created-close").ClickAsync();
            await Expect(page.Locator("[data-testid^='integration-row-'][data-name='Unfinished'] [data-status='incomplete']")).ToHaveCountAsync(1);

            // The flow designer part.
            await page.GetByTestId("nav-flows").ClickAsync();
            var flowId = await page.CreateFlowAsync("Teamleader last name");
            await page.DragFromPaletteAsync("AskQuestion", 40, 60);
            await page.DragFromPaletteAsync("FetchVariables", 300, 200);
            await page.DragFromPaletteAsync("SendMessage", 560, 80);
            await page.DragFromPaletteAsync("SendMessage", 560, 380);

            await page.SelectNodeAsync("askQuestion1");
            await page.GetByTestId("input-text").FillAsync("Which Teamleader contact id should I look up?");
            await page.GetByTestId("input-variable").FillAsync("id");

            await page.SelectNodeAsync("fetchVariables1");
            var integration = page.GetByTestId("input-integration");
            await Expect(integration.Locator("option", new LocatorLocatorOptions { HasText = "Teamleader" })).ToHaveCountAsync(1);
            await Expect(integration.Locator("option", new LocatorLocatorOptions { HasText = "Unfinished" })).ToHaveCountAsync(0);
            await integration.SelectOptionAsync(new SelectOptionValue { Label = "Teamleader" });
            await Expect(integration).ToHaveValueAsync(integrationId);
            await page.GetByTestId("input-method").SelectOptionAsync("POST");
            await page.GetByTestId("input-url").FillAsync(provider.ContactsInfoUrl);
            await page.GetByTestId("input-body").FillAsync("{\"id\": ");
            await Expect(page.GetByTestId("input-body-error")).ToBeVisibleAsync();
            await page.GetByTestId("input-body").FillAsync("{\"id\": \"{{id}}\"}");
            await Expect(page.GetByTestId("input-body-error")).ToHaveCountAsync(0);
            await page.GetByTestId("input-headers-add").ClickAsync();
            await page.GetByTestId("input-headers-key-0").FillAsync("X-Trace");
            await page.GetByTestId("input-headers-value-0").FillAsync("contact-{{id}}");
            await page.GetByTestId("input-mappings-add").ClickAsync();
            await page.GetByTestId("input-mappings-key-0").FillAsync("last_name");
            await page.GetByTestId("input-mappings-value-0").FillAsync("data.last_name");

            await page.SelectNodeAsync("sendMessage1");
            await page.GetByTestId("input-text").FillAsync("The contact's last name is {{last_name}}.");
            await page.SelectNodeAsync("sendMessage2");
            await page.GetByTestId("input-text").FillAsync("Sorry, I could not look that up: {{fetchVariables1.error}}");

            // Connections: two by dragging handles, the failure path with the property panel's selector.
            await page.ConnectAsync("askQuestion1", "Done", "fetchVariables1");
            await page.ConnectAsync("fetchVariables1", "Success", "sendMessage1");
            await page.SelectNodeAsync("fetchVariables1");
            await page.GetByTestId("connect-Failure").SelectOptionAsync("sendMessage2");
            await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(3);
            await Expect(page.GetByTestId("connect-Success")).ToHaveValueAsync("sendMessage1");

            await page.SaveAsync();
            await Expect(page.GetByTestId("validation-list")).ToBeHiddenAsync();
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("published-version")).ToHaveTextAsync("Live: v1");

            // Chat: the id goes to the API through the integration's token; the answer's last name comes back.
            await page.GetByTestId("tab-test").ClickAsync();
            await page.GetByTestId("chat-input").FillAsync("hi");
            await page.GetByTestId("chat-send").ClickAsync();
            await Expect(page.GetByTestId("chat-bot")).ToHaveTextAsync(["Which Teamleader contact id should I look up?"]);
            await page.GetByTestId("chat-input").FillAsync("42");
            await page.GetByTestId("chat-send").ClickAsync();
            await Expect(page.GetByTestId("chat-bot")).ToHaveTextAsync(["Which Teamleader contact id should I look up?", "The contact's last name is Lovelace."]);
            await Expect(page.GetByTestId("chat-system")).ToHaveTextAsync("Flow completed.");
            await Expect(page.GetByTestId("journal-2")).ToContainTextAsync("fetchVariables1");
            await Expect(page.GetByTestId("journal-2")).ToContainTextAsync("Success");
            await Expect(page.GetByTestId("node-fetchVariables1")).ToHaveAttributeAsync("data-step", "ran");
            await Expect(page.GetByTestId("node-sendMessage2")).Not.ToHaveAttributeAsync("data-step", "ran");
            Assert.Contains("api call contacts.info id=42 x-trace=contact-42", provider.Events);
            await page.ScreenshotAsync("09-teamleader-flow-chat");

            // The integration has been used successfully: green.
            await page.GetByTestId("nav-integrations").ClickAsync();
            await Expect(page.GetByTestId($"health-{integrationId}")).ToHaveAttributeAsync("data-health", "green");
            await page.GetByTestId("nav-flows").ClickAsync();
            await page.GetByTestId($"open-flow-{flowId}").ClickAsync();
            await page.GetByTestId("tab-test").ClickAsync();

            // An unknown contact leaves through Failure with a readable reason.
            await page.GetByTestId("chat-input").FillAsync("hi");
            await page.GetByTestId("chat-send").ClickAsync();
            await Expect(page.GetByTestId("chat-bot")).ToHaveCountAsync(1);
            await page.GetByTestId("chat-input").FillAsync("7");
            await page.GetByTestId("chat-send").ClickAsync();
            await Expect(page.GetByTestId("chat-bot").Nth(1)).ToContainTextAsync("Sorry, I could not look that up:");
            await Expect(page.GetByTestId("node-sendMessage2")).ToHaveAttributeAsync("data-step", "ran");
            await Expect(page.GetByTestId("node-fetchVariables1")).ToHaveAttributeAsync("data-step", "failed");
            await Expect(page.GetByTestId("journal-2")).ToContainTextAsync("Failure");
            await Expect(page.GetByTestId("journal-2")).ToHaveClassAsync("failed");
            await page.ScreenshotAsync("10-teamleader-flow-failure-path");

            // The last use failed: red, and the log says why.
            await page.GetByTestId("nav-integrations").ClickAsync();
            await Expect(page.GetByTestId($"health-{integrationId}")).ToHaveAttributeAsync("data-health", "red");
            await page.GetByTestId($"logs-{integrationId}").ClickAsync();
            await Expect(page.GetByTestId("log-row-0")).ToContainTextAsync("404");
        });
}
