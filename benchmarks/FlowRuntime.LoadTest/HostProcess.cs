using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace FlowRuntime.LoadTest;

/// <summary>The FlowRuntime host as a real separate process (Release build, SQLite default), as users run it.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    public const string ApiKey = "load-test-management-key-0123456789";

    private readonly Process _process;

    private HostProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int ProcessId => _process.Id;

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlowRuntime.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the FlowRuntime repository.");
    }

    /// <summary>Starts the host and returns once the process is launched (not yet ready).</summary>
    public static HostProcess Start(string dataPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var hostDir = Path.Combine(RepositoryRoot(), "runtime", "FlowRuntime.Host", "bin", "Release", "net10.0");
        var dll = Path.Combine(hostDir, "FlowRuntime.Host.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the host first: dotnet build -c Release runtime/FlowRuntime.Host", dll);
        }

        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", baseUrl])
        {
            WorkingDirectory = hostDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FlowRuntime__ApiKey"] = ApiKey;
        start.Environment["FlowRuntime__DataPath"] = dataPath;
        start.Environment["FlowRuntime__SampleFlowsPath"] = "";
        start.Environment["FlowRuntime__PublicBaseUrl"] = baseUrl;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        // FLOWRUNTIME_LOADTEST_HOST_LOG=<file> keeps the host's whole output for profiling (e.g. with EF command logging on).
        var logFile = Environment.GetEnvironmentVariable("FLOWRUNTIME_LOADTEST_HOST_LOG") is { Length: > 0 } path ? TextWriter.Synchronized(new StreamWriter(path, append: true)) : null;
        process.Exited += (_, _) => logFile?.Flush();
        process.OutputDataReceived += (_, e) =>
        {
            logFile?.WriteLine(e.Data);
            if (e.Data?.Contains("fail", StringComparison.OrdinalIgnoreCase) == true)
            {
                Console.Error.WriteLine("host: " + e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("host: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HostProcess(process, baseUrl);
    }

    public HttpClient CreateClient()
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode}.");
            }

            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("The host did not become healthy.");
    }

    /// <summary>Resident set size from /proc (Linux).</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The host's own counters: allocated bytes, CPU time and GC pause time so far.</summary>
    public async Task<HostCounters> CountersAsync(HttpClient client)
    {
        var json = JsonNode.Parse(await client.GetStringAsync("/api/diagnostics/runtime"))!;
        return new HostCounters(json["allocatedBytes"]!.GetValue<long>(), json["cpuMilliseconds"]!.GetValue<double>(), json["gcPauseMilliseconds"]!.GetValue<double>());
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(1000);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

internal sealed record HostCounters(long AllocatedBytes, double CpuMilliseconds, double GcPauseMilliseconds)
{
    public HostCounters Minus(HostCounters before) =>
        new(AllocatedBytes - before.AllocatedBytes, CpuMilliseconds - before.CpuMilliseconds, GcPauseMilliseconds - before.GcPauseMilliseconds);
}
