namespace FlowRuntime.Browser.Tests.Infrastructure;

/// <summary>Where screenshots go: <c>TestResults/screenshots/</c> at the repository root (tests/run.sh collects TestResults/).</summary>
public static class Artifacts
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FlowRuntime.sln")))
        {
            dir = dir.Parent;
        }

        var root = dir?.FullName ?? Directory.GetCurrentDirectory();
        return Directory.CreateDirectory(Path.Combine(root, "TestResults", "screenshots")).FullName;
    });

    public static string ScreenshotsFolder => Folder.Value;

    public static string Screenshot(string name)
    {
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
        return Path.Combine(ScreenshotsFolder, safe + ".png");
    }
}
