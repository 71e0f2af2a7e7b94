using System.Diagnostics;

namespace FlowRuntime.LoadTest;

internal sealed record LoadResult(string Name, int Requests, int Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    public double PerSecond => Requests / Seconds;
}

/// <summary>A closed-loop load: <c>concurrency</c> workers each send the next request when the previous answered.</summary>
internal static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan warmup, TimeSpan duration,
        Func<HttpClient, int, Task<bool>> send, Func<Task>? beforeMeasure = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        await RunPhaseAsync(client, concurrency, warmup, send, record: false);
        if (beforeMeasure is not null)
        {
            await beforeMeasure();
        }

        var (latencies, errors, seconds) = await RunPhaseAsync(client, concurrency, duration, send, record: true);
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        return new LoadResult(name, latencies.Count, errors, seconds, Percentile(0.50), Percentile(0.99), latencies.Count == 0 ? 0 : latencies[^1]);
    }

    private static async Task<(List<double> Latencies, int Errors, double Seconds)> RunPhaseAsync(
        HttpClient client, int concurrency, TimeSpan duration, Func<HttpClient, int, Task<bool>> send, bool record)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWorker = new List<double>[concurrency];
        var errors = 0;
        var sequence = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var latencies = perWorker[worker] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var n = Interlocked.Increment(ref sequence);
                var t0 = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await send(client, n);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    ok = false;
                }

                if (!record)
                {
                    continue;
                }

                if (ok)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (perWorker.SelectMany(l => l).ToList(), errors, seconds);
    }
}
