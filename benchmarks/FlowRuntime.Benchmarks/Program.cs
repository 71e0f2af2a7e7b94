using BenchmarkDotNet.Running;

namespace FlowRuntime.Benchmarks;

/// <summary>dotnet run -c Release --project benchmarks/FlowRuntime.Benchmarks -- --filter '*'</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
