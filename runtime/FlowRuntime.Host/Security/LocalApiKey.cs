using System.Security.Cryptography;

namespace FlowRuntime.Host.Security;

/// <summary>
/// For local use without configuration: generates a management API key once and keeps it in the data
/// folder, so the README's run command needs no setup. The key is never logged; its file path is.
/// </summary>
internal static class LocalApiKey
{
    public const string FileName = "api-key.txt";

    public static string GetOrCreate(string dataPath)
    {
        Directory.CreateDirectory(dataPath);
        var path = Path.Combine(dataPath, FileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 16 } existing)
        {
            return existing;
        }

        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}
