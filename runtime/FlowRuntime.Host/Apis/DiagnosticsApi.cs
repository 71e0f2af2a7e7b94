using System.Diagnostics;

namespace FlowRuntime.Host.Apis;

public static class DiagnosticsApi
{
    /// <summary>Process figures for operators and the load benchmark (allocations per flow, memory).</summary>
    public static RouteGroupBuilder MapDiagnosticsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/diagnostics/runtime", () =>
        {
            using var process = Process.GetCurrentProcess();
            return new RuntimeDiagnostics(
                GC.GetTotalAllocatedBytes(precise: false),
                process.WorkingSet64,
                GC.GetTotalMemory(forceFullCollection: false),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                GC.GetTotalPauseDuration().TotalMilliseconds,
                process.TotalProcessorTime.TotalMilliseconds,
                ThreadPool.ThreadCount,
                Environment.ProcessorCount);
        }).WithTags("Diagnostics");
        return api;
    }

    public sealed record RuntimeDiagnostics(
        long AllocatedBytes, long WorkingSetBytes, long HeapBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections,
        double GcPauseMilliseconds, double CpuMilliseconds, int ThreadPoolThreads, int ProcessorCount);
}
