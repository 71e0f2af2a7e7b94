using System.ComponentModel.DataAnnotations;

namespace FlowRuntime.Engine.Expressions;

/// <summary>Sandbox limits for JavaScript conditions (<c>FlowRuntime:Expressions</c>).</summary>
public sealed class ExpressionOptions
{
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    [Range(100, 10_000_000)]
    public int MaxStatements { get; set; } = 10_000;

    [Range(100_000, 1_000_000_000)]
    public long MaxMemoryBytes { get; set; } = 4_000_000;

    [Range(1, 1_000)]
    public int MaxRecursionDepth { get; set; } = 64;
}
