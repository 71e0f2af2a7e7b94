using Microsoft.Playwright;

namespace FlowRuntime.Browser.Tests.Infrastructure;

/// <summary>
/// One host and one headless Chromium (Debian's <c>/usr/bin/chromium</c>, not a Playwright download) per
/// test class. Each test gets its own browser context, so local storage (the API key) starts empty.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public BrowserHostFactory Host { get; } = new();

    public Uri BaseAddress => Host.BaseAddress;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; tests/run.sh does).");
        }

        Host.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>A fresh context and page; clipboard access granted for the copy button.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Runs a browser test on a fresh page; on failure saves a full-page screenshot named after the test
    /// (plus the browser console) so the failure can be read without rerunning.
    /// </summary>
    public async Task RunAsync(string testName, Func<IPage, Task> test)
    {
        var page = await NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"[{m.Type}] {m.Text}");
        page.PageError += (_, e) => console.Add($"[pageerror] {e}");
        var urls = new List<string>();
        page.Context.Request += (_, r) => urls.Add(r.Url);
        try
        {
            await test(page);

            // The management key travels only in the X-Api-Key header, never in a URL (history, logs, Referer).
            Assert.DoesNotContain(urls, u => u.Contains(BrowserHostFactory.ApiKey, StringComparison.Ordinal));
            Assert.DoesNotContain(console, m => m.StartsWith("[pageerror]", StringComparison.Ordinal));
        }
        catch (Exception e)
        {
            var path = Artifacts.Screenshot("FAILED-" + testName);
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            }
            catch (PlaywrightException)
            {
                // The page may be gone; the original failure matters more.
            }

            throw new BrowserTestFailedException(
                $"{e.Message}\nURL: {page.Url}\nScreenshot: {path}\nBrowser console:\n{string.Join('\n', console.TakeLast(30))}", e);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}

public sealed class BrowserTestFailedException(string message, Exception inner) : Exception(message, inner);
