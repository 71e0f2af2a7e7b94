using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlowRuntime.Browser.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlowRuntime.Browser.Tests;

/// <summary>The flow designer in real headless Chromium against the real host.</summary>
public sealed class FlowDesignerTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Builds_the_ask_name_reply_flow_by_drag_and_drop_publishes_it_and_chats_with_it() =>
        browser.RunAsync(nameof(Builds_the_ask_name_reply_flow_by_drag_and_drop_publishes_it_and_chats_with_it), async page =>
        {
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("api-key")).ToBeVisibleAsync();
            await page.ScreenshotAsync("01-sign-in");
            await page.SignInAsync();
            await Expect(page.GetByTestId("create-flow")).ToBeVisibleAsync();

            var flowId = await page.CreateFlowAsync("Ask name");

            // Palette → canvas by HTML5 drag and drop.
            await Expect(page.GetByTestId("palette-group-Conversation")).ToBeVisibleAsync();
            await page.DragFromPaletteAsync("AskQuestion", 100, 140);
            await Expect(page.GetByTestId("node-askQuestion1")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("start-badge-askQuestion1")).ToBeVisibleAsync();
            await page.DragFromPaletteAsync("SendMessage", 440, 320);
            await Expect(page.GetByTestId("node-sendMessage1")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("dirty")).ToBeVisibleAsync();

            // Property panel: the question and the variable that receives the answer.
            await page.SelectNodeAsync("askQuestion1");
            await page.GetByTestId("input-text").FillAsync("What is your name?");
            await page.GetByTestId("input-variable").FillAsync("name");

            // The reply uses the variable, picked from the {{ suggestions.
            await page.SelectNodeAsync("sendMessage1");
            await page.GetByTestId("input-text").PressSequentiallyAsync("Hello {{");
            await page.GetByTestId("suggestion-name").ClickAsync();
            await Expect(page.GetByTestId("input-text")).ToHaveValueAsync("Hello {{name}}");

            // Done → the reply's input, by dragging from handle to handle.
            await page.ConnectAsync("askQuestion1", "Done", "sendMessage1");
            await Expect(page.Locator(".react-flow__edge")).ToHaveCountAsync(1);
            await page.SelectNodeAsync("askQuestion1");
            await Expect(page.GetByTestId("connect-Done")).ToHaveValueAsync("sendMessage1");

            await page.SaveAsync();
            await Expect(page.GetByTestId("validation-list")).ToBeHiddenAsync();
            await page.GetByTestId("fit-view").ClickAsync();
            await page.ScreenshotAsync("03-editor");

            // What the browser saved is what the API has.
            using (var api = browser.Host.CreateManagementClient())
            {
                var flow = await api.GetFromJsonAsync<JsonObject>($"/api/flows/{flowId}") ?? throw new InvalidOperationException("no flow");
                var definition = flow["definition"]!;
                Assert.Equal("Ask name", flow["name"]!.GetValue<string>());
                Assert.Equal("askQuestion1", definition["start"]!.GetValue<string>());
                var connection = Assert.Single(definition["connections"]!.AsArray())!;
                Assert.Equal(("askQuestion1", "Done", "sendMessage1"),
                    (connection["source"]!.GetValue<string>(), connection["outcome"]!.GetValue<string>(), connection["target"]!.GetValue<string>()));
                var activities = definition["activities"]!.AsArray().ToDictionary(a => a!["id"]!.GetValue<string>(), a => a!);
                Assert.Equal("AskQuestion", activities["askQuestion1"]["type"]!.GetValue<string>());
                Assert.Equal("What is your name?", activities["askQuestion1"]["inputs"]!["text"]!.GetValue<string>());
                Assert.Equal("name", activities["askQuestion1"]["inputs"]!["variable"]!.GetValue<string>());
                Assert.Equal("Hello {{name}}", activities["sendMessage1"]["inputs"]!["text"]!.GetValue<string>());
                Assert.Empty(flow["errors"]?.AsArray() ?? []);
            }

            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("published-version")).ToHaveTextAsync("Live: v1");
            await Expect(page.GetByTestId("notice")).ToHaveTextAsync(new Regex("Published version 1"));

            // Chat with it in the test panel.
            await page.GetByTestId("tab-test").ClickAsync();
            await page.GetByTestId("chat-input").FillAsync("hi");
            await page.GetByTestId("chat-send").ClickAsync();
            await Expect(page.GetByTestId("chat-bot")).ToHaveTextAsync(["What is your name?"]);
            await Expect(page.GetByTestId("journal-0")).ToContainTextAsync("askQuestion1");
            await Expect(page.GetByTestId("journal-0")).ToContainTextAsync("waiting");
            await Expect(page.GetByTestId("node-askQuestion1")).ToHaveAttributeAsync("data-step", "ran");

            await page.GetByTestId("chat-input").FillAsync("Ada");
            await page.GetByTestId("chat-input").PressAsync("Enter");
            await Expect(page.GetByTestId("chat-bot")).ToHaveTextAsync(["What is your name?", "Hello Ada"]);
            await Expect(page.GetByTestId("chat-user")).ToHaveTextAsync(["hi", "Ada"]);
            await Expect(page.GetByTestId("chat-system")).ToHaveTextAsync("Flow completed.");
            await Expect(page.GetByTestId("chat-error")).ToHaveCountAsync(0);

            // The journal: the question waited, was answered, then the reply ran; both nodes are highlighted.
            await Expect(page.Locator("[data-testid^='journal-']")).ToHaveCountAsync(3);
            await Expect(page.GetByTestId("journal-1")).ToContainTextAsync("askQuestion1");
            await Expect(page.GetByTestId("journal-1")).ToContainTextAsync("Done");
            await Expect(page.GetByTestId("journal-2")).ToContainTextAsync("sendMessage1");
            await Expect(page.GetByTestId("journal-2")).ToContainTextAsync("Done");
            await Expect(page.GetByTestId("node-askQuestion1")).ToHaveClassAsync(new Regex("\\bstep-ran\\b"));
            await Expect(page.GetByTestId("node-sendMessage1")).ToHaveAttributeAsync("data-step", "ran");
            await Expect(page.GetByTestId("node-sendMessage1")).ToHaveClassAsync(new Regex("\\bstep-ran\\b"));
            await page.GetByTestId("journal-2").Locator("summary").ClickAsync();
            await Expect(page.GetByTestId("journal-2")).ToContainTextAsync("\"name\": \"Ada\"");
            await page.ScreenshotAsync("04-test-panel");

            // Back on the list the flow shows as published.
            await page.GetByTestId("back-to-flows").ClickAsync();
            await Expect(page.GetByTestId($"flow-row-{flowId}")).ToContainTextAsync("Ask name");
            await page.ScreenshotAsync("02-flows-list");
        });

    [Fact]
    public Task Publishing_a_flow_with_an_empty_required_input_shows_the_error_on_the_node() =>
        browser.RunAsync(nameof(Publishing_a_flow_with_an_empty_required_input_shows_the_error_on_the_node), async page =>
        {
            await page.SignInAsync();
            var flowId = await page.CreateFlowAsync("Unfinished reply");
            await page.DragFromPaletteAsync("SendMessage", 200, 160);
            await Expect(page.GetByTestId("node-sendMessage1")).ToBeVisibleAsync();

            // Publish saves the draft first, then the host refuses it with every problem listed.
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("validation-list")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("validation-list")).ToContainTextAsync("problem");
            await Expect(page.GetByTestId("node-sendMessage1")).ToHaveClassAsync(new Regex("\\bhas-error\\b"));
            await Expect(page.GetByTestId("node-errors-sendMessage1")).ToContainTextAsync("text");
            await Expect(page.GetByTestId("published-version")).ToHaveCountAsync(0);

            // The problem links to its step, and the property panel marks the input.
            await page.GetByTestId("validation-goto-0").ClickAsync();
            await Expect(page.GetByTestId("selected-activity-id")).ToHaveTextAsync("sendMessage1");
            await Expect(page.GetByTestId("property-panel").Locator(".field.has-error")).ToHaveCountAsync(1);
            await page.ScreenshotAsync("05-editor-validation-errors");

            using var api = browser.Host.CreateManagementClient();
            var flow = await api.GetFromJsonAsync<JsonObject>($"/api/flows/{flowId}") ?? throw new InvalidOperationException("no flow");
            Assert.Null(flow["publishedVersion"]);
        });

    [Fact]
    public Task Saving_an_invalid_draft_shows_its_problems_on_the_nodes_until_they_are_fixed() =>
        browser.RunAsync(nameof(Saving_an_invalid_draft_shows_its_problems_on_the_nodes_until_they_are_fixed), async page =>
        {
            await page.SignInAsync();
            await page.CreateFlowAsync("Half a question");
            await page.DragFromPaletteAsync("AskQuestion", 200, 160);
            await Expect(page.GetByTestId("node-askQuestion1")).ToBeVisibleAsync();
            await page.GetByTestId("input-text").FillAsync("Which city?");

            // The host saves invalid drafts (200 with an errors array): the missing variable shows on the node.
            await page.SaveAsync();
            await Expect(page.GetByTestId("validation-list")).ToContainTextAsync("variable");
            await Expect(page.GetByTestId("node-askQuestion1")).ToHaveClassAsync(new Regex("\\bhas-error\\b"));
            await Expect(page.GetByTestId("node-errors-askQuestion1")).ToContainTextAsync("variable");

            // Reopening the draft shows them again.
            await page.ReloadAsync();
            await Expect(page.GetByTestId("node-errors-askQuestion1")).ToContainTextAsync("variable");

            await page.SelectNodeAsync("askQuestion1");
            await page.GetByTestId("input-variable").FillAsync("city");
            await page.SaveAsync();
            await Expect(page.GetByTestId("validation-list")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("node-errors-askQuestion1")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("node-askQuestion1")).Not.ToHaveClassAsync(new Regex("\\bhas-error\\b"));
        });

    [Fact]
    public Task Each_flow_publishes_on_its_own_channel_and_a_taken_channel_is_explained() =>
        browser.RunAsync(nameof(Each_flow_publishes_on_its_own_channel_and_a_taken_channel_is_explained), async page =>
        {
            await page.SignInAsync();
            var first = await page.CreateFlowAsync("Orders greeting");
            await page.GetByTestId("palette-SendMessage").DblClickAsync();
            await page.GetByTestId("input-text").FillAsync("Hello from orders");
            await page.GetByTestId("flow-channel").FillAsync("orders");
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("published-version")).ToHaveTextAsync("Live: v1");

            await page.GetByTestId("back-to-flows").ClickAsync();
            var second = await page.CreateFlowAsync("Orders greeting two");
            await page.GetByTestId("palette-SendMessage").DblClickAsync();
            await page.GetByTestId("input-text").FillAsync("Hello again");
            await page.GetByTestId("flow-channel").FillAsync("orders");
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("error-banner")).ToContainTextAsync("orders");
            await Expect(page.GetByTestId("error-banner")).ToContainTextAsync("channel_in_use");
            await Expect(page.GetByTestId("published-version")).ToHaveCountAsync(0);

            await page.GetByTestId("flow-channel").FillAsync("orders-two");
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("published-version")).ToHaveTextAsync("Live: v1");

            using var api = browser.Host.CreateManagementClient();
            foreach (var (id, channel) in new[] { (first, "orders"), (second, "orders-two") })
            {
                var flow = await api.GetFromJsonAsync<JsonObject>($"/api/flows/{id}") ?? throw new InvalidOperationException("no flow");
                Assert.Equal(channel, flow["definition"]!["trigger"]!["channel"]!.GetValue<string>());
                Assert.Equal(1, flow["publishedVersion"]!.GetValue<int>());
            }
        });

    [Fact]
    public Task Undo_redo_keyboard_copy_paste_delete_and_versions_work_on_the_canvas() =>
        browser.RunAsync(nameof(Undo_redo_keyboard_copy_paste_delete_and_versions_work_on_the_canvas), async page =>
        {
            await page.SignInAsync();
            await page.CreateFlowAsync("Editing tools");
            await page.GetByTestId("flow-channel").FillAsync("editing-tools");
            await page.DragFromPaletteAsync("SendMessage", 120, 120);
            await page.GetByTestId("input-text").FillAsync("Version one");
            await page.GetByTestId("publish").ClickAsync();
            await Expect(page.GetByTestId("published-version")).ToHaveTextAsync("Live: v1");

            // Undo removes the last step, redo brings it back.
            await page.DragFromPaletteAsync("SetVariable", 420, 260);
            await Expect(page.GetByTestId("node-setVariable1")).ToBeVisibleAsync();
            await page.GetByTestId("undo").ClickAsync();
            await Expect(page.GetByTestId("node-setVariable1")).ToHaveCountAsync(0);
            await page.GetByTestId("redo").ClickAsync();
            await Expect(page.GetByTestId("node-setVariable1")).ToBeVisibleAsync();

            // Keyboard on the canvas: copy and paste the selected step, then delete the copy.
            await page.SelectNodeAsync("sendMessage1");
            await page.Keyboard.PressAsync("Control+c");
            await page.Keyboard.PressAsync("Control+v");
            await Expect(page.GetByTestId("node-sendMessage2")).ToBeVisibleAsync();
            await page.SelectNodeAsync("sendMessage2");
            await Expect(page.GetByTestId("input-text")).ToHaveValueAsync("Version one");
            await page.Keyboard.PressAsync("Delete");
            await Expect(page.GetByTestId("node-sendMessage2")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("node-sendMessage1")).ToBeVisibleAsync();

            // Change the text, save, then look at the published version and restore it.
            await page.SelectNodeAsync("sendMessage1");
            await page.GetByTestId("input-text").FillAsync("Draft text");
            await page.SaveAsync();
            await page.GetByTestId("tab-versions").ClickAsync();
            await page.GetByTestId("view-version-1").ClickAsync();
            await Expect(page.GetByTestId("viewing-version")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("node-setVariable1")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("node-sendMessage1")).ToContainTextAsync("Version one");
            await page.GetByTestId("restore-version").ClickAsync();
            await Expect(page.GetByTestId("viewing-version")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("dirty")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("node-sendMessage1")).ToContainTextAsync("Version one");
            await Expect(page.GetByTestId("node-setVariable1")).ToHaveCountAsync(0);
            await page.GetByTestId("undo").ClickAsync();
            await Expect(page.GetByTestId("node-sendMessage1")).ToContainTextAsync("Draft text");
        });

    [Fact]
    public Task A_wrong_api_key_is_refused_and_never_put_in_the_url() =>
        browser.RunAsync(nameof(A_wrong_api_key_is_refused_and_never_put_in_the_url), async page =>
        {
            await page.GotoAsync("/flows");
            await page.GetByTestId("api-key").FillAsync("not-the-management-key-at-all");
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("That API key was not accepted.");

            await page.GetByTestId("api-key").FillAsync(BrowserHostFactory.ApiKey);
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.GetByTestId("nav-flows")).ToBeVisibleAsync();
            Assert.DoesNotContain(BrowserHostFactory.ApiKey, page.Url, StringComparison.Ordinal);
        });

    [Fact]
    public Task A_rejected_key_sends_the_user_to_sign_in_and_back_to_the_same_page() =>
        browser.RunAsync(nameof(A_rejected_key_sends_the_user_to_sign_in_and_back_to_the_same_page), async page =>
        {
            await page.SignInAsync();
            await page.GetByTestId("nav-integrations").ClickAsync();
            await Expect(page.GetByTestId("add-integration")).ToBeVisibleAsync();

            // The key was rotated: the next API call answers 401.
            await page.EvaluateAsync("() => localStorage.setItem('flowruntime.apiKey', 'a-rotated-key-that-is-no-longer-valid')");
            await page.ReloadAsync();
            await Expect(page.GetByTestId("signin-expired")).ToBeVisibleAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/signin$"));

            await page.GetByTestId("api-key").FillAsync(BrowserHostFactory.ApiKey);
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/integrations$"));
            await Expect(page.GetByTestId("add-integration")).ToBeVisibleAsync();

            await page.GetByTestId("sign-out").ClickAsync();
            await Expect(page.GetByTestId("api-key")).ToBeVisibleAsync();
            Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('flowruntime.apiKey')"));
        });
}
