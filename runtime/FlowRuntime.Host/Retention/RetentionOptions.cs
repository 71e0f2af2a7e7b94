using System.ComponentModel.DataAnnotations;

namespace FlowRuntime.Host.Retention;

/// <summary>How long finished instances are kept (<c>FlowRuntime:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "FlowRuntime:Retention";

    /// <summary>Completed and faulted instances older than this (by last update) are deleted; waiting ones are kept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan CompletedInstances { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the host holding the retention lease deletes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Turns the retention job off (e.g. when instances are archived elsewhere).</summary>
    public bool Enabled { get; set; } = true;
}
