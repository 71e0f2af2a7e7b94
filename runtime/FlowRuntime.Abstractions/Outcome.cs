namespace FlowRuntime.Abstractions;

/// <summary>The named port an activity leaves through; connections are matched on <see cref="Name"/>.</summary>
public readonly record struct Outcome(string Name)
{
    /// <summary>The outcome of an activity with a single way out.</summary>
    public static Outcome Done { get; } = new(OutcomeNames.Done);

    /// <summary>Returned by <see cref="ActivityContext.Suspend"/>: the instance waits for the next message.</summary>
    public static Outcome Suspended { get; } = new(OutcomeNames.Suspended);

    public bool IsSuspended => Name == OutcomeNames.Suspended;

    public override string ToString() => Name;
}

public static class OutcomeNames
{
    public const string Done = "Done";
    public const string Success = "Success";
    public const string Failure = "Failure";
    public const string Timeout = "Timeout";
    public const string True = "True";
    public const string False = "False";

    // Not a port: a marker the engine turns into a bookmark.
    internal const string Suspended = "<suspended>";
}
