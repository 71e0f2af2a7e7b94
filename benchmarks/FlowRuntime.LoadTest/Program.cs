using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.LoadTest;

// dotnet run -c Release --project benchmarks/FlowRuntime.LoadTest -- [seconds=10] [concurrency=32]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var warmup = TimeSpan.FromSeconds(Math.Max(2, seconds / 3));
var duration = TimeSpan.FromSeconds(seconds);
var dataPath = Directory.CreateTempSubdirectory("flowruntime-load-").FullName;

await using var upstream = new Upstream();
await upstream.StartAsync();
await using var forwarder = new Forwarder(upstream.BaseUrl, upstream.FixedToken);
await forwarder.StartAsync();

var results = new List<LoadResult>();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; concurrency {concurrency}, {seconds}s per phase");

// This process runs the load generator, the upstream and the forwarder: its CPU per request in phase 2 minus phase 1
// is what the forwarder's proxy hop costs.
double ownCpuBefore = 0;
Task MarkOwnCpu() { ownCpuBefore = OwnCpuMilliseconds(); return Task.CompletedTask; }
double OwnCpuPerRequest(LoadResult r) => (OwnCpuMilliseconds() - ownCpuBefore) * 1000 / Math.Max(1, r.Requests + r.Errors);

// 1. The upstream hit directly with the bearer header.
results.Add(await LoadGenerator.RunAsync("upstream direct", concurrency, warmup, duration, async (client, n) =>
{
    using var request = new HttpRequestMessage(HttpMethod.Get, $"{upstream.BaseUrl}/contacts/{n}");
    request.Headers.Authorization = new("Bearer", upstream.FixedToken);
    using var response = await client.SendAsync(request);
    return response.IsSuccessStatusCode;
}, MarkOwnCpu));
var directCpu = OwnCpuPerRequest(results[^1]);

// 2. A bare ASP.NET Core endpoint forwarding to the upstream with a plain HttpClient and a fixed bearer.
results.Add(await LoadGenerator.RunAsync("bare forwarding endpoint", concurrency, warmup, duration, async (client, n) =>
{
    using var response = await client.PostAsJsonAsync($"{forwarder.BaseUrl}/forward", new { conversationId = $"c{n}", text = n.ToString(CultureInfo.InvariantCulture) });
    return response.IsSuccessStatusCode;
}, MarkOwnCpu));
var forwarderCpu = OwnCpuPerRequest(results[^1]) - directCpu;

// 3. FlowRuntime: message → Fetch Variables through an authorized integration → reply with data.last_name.
var started = Stopwatch.GetTimestamp();
var host = HostProcess.Start(dataPath);
await host.WaitHealthyAsync(TimeSpan.FromSeconds(60));
using var admin = host.CreateClient();
var integrationId = await Setup.AuthorizeIntegrationAsync(admin, upstream);
await Setup.PublishFlowAsync(admin, upstream, integrationId);
var web = await Setup.CreateChannelAsync(admin, "web");
var replyOnly = await Setup.CreateChannelAsync(admin, Setup.ReplyOnlyChannel);

// Steady state: tiered JIT recompiles the host's hot code during its first seconds under load (on 2 cores that
// background work competes with the requests). One unmeasured phase of both flows lets it finish.
await LoadGenerator.RunAsync("host warm-up", concurrency, warmup, duration,
    (client, n) => Setup.SendMessageAsync(client, host.BaseUrl, n % 2 == 0 ? web : replyOnly, $"warm-{n}", n));

HostCounters? countersBefore = null;
long peakRss = 0;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        peakRss = Math.Max(peakRss, host.ResidentBytes());
        await Task.Delay(200);
    }
});
var flow = await LoadGenerator.RunAsync("FlowRuntime flow", concurrency, warmup, duration,
    (client, n) => Setup.SendMessageAsync(client, host.BaseUrl, web, $"load-{n}", n),
    async () => countersBefore = await host.CountersAsync(admin));
var counters = (await host.CountersAsync(admin)).Minus(countersBefore!);
var flowsRun = Math.Max(1, flow.Requests + flow.Errors);
await sampling.CancelAsync();
await sampler;
results.Add(flow);

// 3b. The same host and database, a flow that only replies: what the engine and persistence cost without the API call.
HostCounters? replyBefore = null;
var replyFlow = await LoadGenerator.RunAsync("FlowRuntime reply-only flow (no API call)", concurrency, warmup, duration,
    (client, n) => Setup.SendMessageAsync(client, host.BaseUrl, replyOnly, $"reply-{n}", n),
    async () => replyBefore = await host.CountersAsync(admin));
var replyCounters = (await host.CountersAsync(admin)).Minus(replyBefore!);
results.Add(replyFlow);

// 4. Refresh storm: every issued token expires at once; 1,000 concurrent flows must cause one refresh.
upstream.ExpireIssuedTokens();
var refreshesBefore = upstream.RefreshGrants;
var storm = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async n =>
{
    using var client = new HttpClient();
    return await Setup.SendMessageAsync(client, host.BaseUrl, web, $"storm-{n}", n);
}));
var stormRefreshes = upstream.RefreshGrants - refreshesBefore;

// 5. Cold start: a new process on the same database, until the first flow is served.
await host.DisposeAsync();
var wal = new FileInfo(Path.Combine(dataPath, "flowruntime.db-wal"));
Console.WriteLine($"(write-ahead log left by the killed host: {(wal.Exists ? wal.Length / 1024 : 0)} KiB; database {new FileInfo(Path.Combine(dataPath, "flowruntime.db")).Length / 1024} KiB)");
var coldStarted = Stopwatch.GetTimestamp();
await using var cold = HostProcess.Start(dataPath);
using (var client = new HttpClient())
{
    while (!await Setup.TrySendMessageAsync(client, cold.BaseUrl, web, "cold", 1))
    {
        await Task.Delay(5);
    }
}

var coldStart = Stopwatch.GetElapsedTime(coldStarted);

var bare = results[1];
Console.WriteLine();
Console.WriteLine("| phase | requests/s | p50 ms | p99 ms | max ms | errors |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine($"| {r.Name} | {r.PerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {r.Errors} |");
}

Console.WriteLine();
Console.WriteLine($"flow / bare forwarding endpoint throughput: {flow.PerSecond / bare.PerSecond:P1} (target >= 70%)");
Console.WriteLine($"flow / upstream direct throughput: {flow.PerSecond / results[0].PerSecond:P1}");
Console.WriteLine($"flow p99: {flow.P99Ms:F2} ms (target <= 10 ms)");
Console.WriteLine($"allocations per flow (host): {counters.AllocatedBytes / 1024.0 / flowsRun:F1} KiB");
Console.WriteLine($"bare forwarder CPU per request (proxy hop, estimated): {forwarderCpu:F0} µs");
Console.WriteLine($"host CPU per flow: {counters.CpuMilliseconds * 1000 / flowsRun:F0} µs; host CPU use {counters.CpuMilliseconds / 10 / flow.Seconds:F0} % of one core; GC pauses {counters.GcPauseMilliseconds / 10 / flow.Seconds:F2} % of the time");
Console.WriteLine($"host CPU per reply-only flow: {replyCounters.CpuMilliseconds * 1000 / Math.Max(1, replyFlow.Requests + replyFlow.Errors):F0} µs; allocations {replyCounters.AllocatedBytes / 1024.0 / Math.Max(1, replyFlow.Requests + replyFlow.Errors):F1} KiB");
Console.WriteLine($"host peak RSS under load: {peakRss / 1024.0 / 1024:F0} MB (target <= 200 MB)");
Console.WriteLine($"refresh storm: {storm.Count(ok => ok)}/1000 flows succeeded, {stormRefreshes} refresh request(s) reached the token endpoint (target: exactly 1), invalid_grant seen: {upstream.InvalidGrants}");
Console.WriteLine($"cold start (process start → first flow served, existing database): {coldStart.TotalMilliseconds:F0} ms (target <= 2000 ms)");
Console.WriteLine($"first start incl. migrations, integration setup and publish: {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s of the whole run");
Directory.Delete(dataPath, recursive: true);

static double OwnCpuMilliseconds()
{
    using var self = Process.GetCurrentProcess();
    return self.TotalProcessorTime.TotalMilliseconds;
}
