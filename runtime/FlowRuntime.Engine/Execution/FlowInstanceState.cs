using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FlowRuntime.Engine.Execution;

[JsonConverter(typeof(JsonStringEnumConverter<FlowInstanceStatus>))]
public enum FlowInstanceStatus
{
    Running,
    Suspended,
    Completed,
    Faulted,
}

/// <summary>Everything needed to continue an instance later: variables, bookmark, journal.</summary>
public sealed class FlowInstanceState
{
    public required Guid Id { get; init; }

    public required string FlowId { get; init; }

    /// <summary>The flow version this instance runs (0 = draft); running instances keep their version.</summary>
    public required int Version { get; init; }

    public string? ConversationId { get; init; }

    public string? Channel { get; init; }

    public JsonObject Variables { get; init; } = [];

    /// <summary>The activity waiting for the next message, when suspended.</summary>
    public string? Bookmark { get; set; }

    public List<JournalEntry> Journal { get; init; } = [];

    public FlowInstanceStatus Status { get; set; } = FlowInstanceStatus.Running;

    public FlowError? Error { get; set; }
}

/// <summary>One executed step: what ran, how it left, how long it took and the variables after it.</summary>
public sealed record JournalEntry(
    string ActivityId,
    string Type,
    string? Outcome,
    DateTimeOffset StartedAt,
    double DurationMs,
    JsonObject? Variables,
    FlowError? Error,
    IReadOnlyList<string>? Notes);

/// <summary>Why an instance faulted. <see cref="Code"/> is stable snake_case; the message is safe to show.</summary>
public sealed record FlowError(string Code, string Message, string? ActivityId = null);

/// <summary>The outcome of handling one message (or one run): the instance after it and the replies it produced.</summary>
public sealed record RunResult(FlowInstanceState Instance, IReadOnlyList<string> Replies);
