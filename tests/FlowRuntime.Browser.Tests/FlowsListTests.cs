using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace FlowRuntime.Browser.Tests;

/// <summary>The flows list: duplicate, rename, export, import and delete against the real host.</summary>
public sealed class FlowsListTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public Task Duplicates_renames_exports_imports_and_deletes_flows() =>
        browser.RunAsync(nameof(Duplicates_renames_exports_imports_and_deletes_flows), async page =>
        {
            await page.SignInAsync();
            var id = await page.CreateFlowAsync("Greeter");
            await page.GetByTestId("palette-SendMessage").DblClickAsync();
            await page.GetByTestId("input-text").FillAsync("Hi there");
            await page.SaveAsync();
            await page.GetByTestId("back-to-flows").ClickAsync();

            await page.GetByTestId($"duplicate-flow-{id}").ClickAsync();
            await Expect(page.GetByTestId("notice")).ToHaveTextAsync("Duplicated as “Greeter (copy)”.");
            var copy = page.Locator("[data-testid^='flow-row-']", new() { HasText = "Greeter (copy)" });
            await Expect(copy).ToHaveCountAsync(1);
            var copyId = (await copy.GetAttributeAsync("data-testid"))!["flow-row-".Length..];
            Assert.NotEqual(id, copyId);

            await page.GetByTestId($"rename-flow-{copyId}").ClickAsync();
            await page.GetByTestId("prompt-input").FillAsync("Second greeter");
            await page.GetByTestId("prompt-ok").ClickAsync();
            await Expect(page.GetByTestId($"flow-row-{copyId}")).ToContainTextAsync("Second greeter");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId($"export-flow-{id}").ClickAsync());
            Assert.Equal("greeter.flow.json", download.SuggestedFilename);
            var file = Path.Combine(browser.Host.DataPath, download.SuggestedFilename);
            await download.SaveAsAsync(file);
            var exported = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
            Assert.Equal("Greeter", exported["name"]!.GetValue<string>());
            Assert.Equal("Hi there", exported["activities"]![0]!["inputs"]!["text"]!.GetValue<string>());

            await page.GetByTestId("import-file").SetInputFilesAsync(file);
            await Expect(page.GetByTestId("notice")).ToHaveTextAsync("Imported “Greeter”.");
            await Expect(page.Locator("[data-testid^='flow-row-']", new() { HasText = "Greeter" })).ToHaveCountAsync(3);

            await page.GetByTestId($"delete-flow-{copyId}").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Expect(page.GetByTestId($"flow-row-{copyId}")).ToHaveCountAsync(0);

            using var api = browser.Host.CreateManagementClient();
            var flows = await api.GetFromJsonAsync<JsonArray>("/api/flows") ?? throw new InvalidOperationException("no list");
            var greeters = flows.Select(f => f!["name"]!.GetValue<string>()).Where(n => n.Contains("reeter", StringComparison.Ordinal)).Order().ToArray();
            Assert.Equal(["Greeter", "Greeter"], greeters);
        });
}
