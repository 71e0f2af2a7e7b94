using System.ComponentModel.DataAnnotations;

namespace FlowRuntime.Engine.Execution;

/// <summary>Engine limits (<c>FlowRuntime:Engine</c>).</summary>
public sealed class FlowEngineOptions
{
    /// <summary>Loop guard: a run (one message) that executes more steps than this faults with <c>loop_guard</c>.</summary>
    [Range(1, 1_000_000)]
    public int MaxStepsPerRun { get; set; } = 1_000;

    /// <summary>The journal keeps the latest entries only, so long conversations stay small.</summary>
    [Range(1, 100_000)]
    public int MaxJournalEntries { get; set; } = 200;

    /// <summary>
    /// Snapshot the variables after every step of every run. Off by default: a run asks for snapshots when something
    /// will show them (the designer's test panel does); elsewhere they only multiplied the stored state of each
    /// message. Steps, outcomes, durations, errors and notes are journaled either way.
    /// </summary>
    public bool JournalVariables { get; set; }
}
