using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FlowRuntime.Browser.Tests.Infrastructure;

/// <summary>The steps of the designer journey (designer/TESTIDS.md) as a user does them.</summary>
public static partial class DesignerPage
{
    static DesignerPage() => SetDefaultExpectTimeout(15_000);

    public static async Task SignInAsync(this IPage page, string apiKey = BrowserHostFactory.ApiKey)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByTestId("api-key").FillAsync(apiKey);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("nav-flows")).ToBeVisibleAsync();
    }

    /// <summary>Creates a flow from the flows list and waits for its editor; returns the flow id from the URL.</summary>
    public static async Task<string> CreateFlowAsync(this IPage page, string name)
    {
        await page.GetByTestId("create-flow").ClickAsync();
        await page.GetByTestId("prompt-input").FillAsync(name);
        await page.GetByTestId("prompt-ok").ClickAsync();
        await Expect(page.GetByTestId("flow-editor")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("clean")).ToBeVisibleAsync();
        var match = EditorUrl().Match(page.Url);
        Assert.True(match.Success, $"not an editor URL: {page.Url}");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    /// <summary>Drags a palette item onto the canvas at a point relative to the canvas' top-left corner.</summary>
    public static async Task DragFromPaletteAsync(this IPage page, string activityType, float x, float y) =>
        await page.GetByTestId($"palette-{activityType}").DragToAsync(page.GetByTestId("canvas"),
            new LocatorDragToOptions { TargetPosition = new TargetPosition { X = x, Y = y } });

    /// <summary>Drags an outcome handle onto another node's input handle, in small steps like a hand would.</summary>
    public static async Task ConnectAsync(this IPage page, string sourceId, string outcome, string targetId)
    {
        var from = await Center(page.GetByTestId($"handle-{sourceId}-{outcome}"));
        var to = await Center(page.GetByTestId($"handle-{targetId}-in"));
        await page.Mouse.MoveAsync(from.X, from.Y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + 20, from.Y + 10, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.MoveAsync(to.X, to.Y, new MouseMoveOptions { Steps = 15 });
        await page.Mouse.UpAsync();
    }

    public static async Task SelectNodeAsync(this IPage page, string activityId)
    {
        await page.GetByTestId($"node-{activityId}").Locator(".activity-node-header").ClickAsync();
        await Expect(page.GetByTestId("selected-activity-id")).ToHaveTextAsync(activityId);
    }

    public static async Task SaveAsync(this IPage page)
    {
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("clean")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync(new Regex("Saved\\."));
    }

    public static async Task ScreenshotAsync(this IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.Screenshot(name) });

    private static async Task<(float X, float Y)> Center(ILocator locator)
    {
        await Expect(locator).ToBeVisibleAsync();
        var box = await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("element has no box");
        return (box.X + (box.Width / 2), box.Y + (box.Height / 2));
    }

    [GeneratedRegex("/signin$")]
    private static partial Regex SignInUrl();

    [GeneratedRegex("/flows/([^/?#]+)")]
    private static partial Regex EditorUrl();
}
