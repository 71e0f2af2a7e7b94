namespace FlowRuntime.Persistence.Entities;

/// <summary>A running, waiting or finished flow instance.</summary>
public sealed class FlowInstanceEntity
{
    public Guid Id { get; set; }

    public required string FlowId { get; set; }

    /// <summary>The flow version it runs; 0 = a draft test run.</summary>
    public int Version { get; set; }

    public string? Channel { get; set; }

    public string? ConversationId { get; set; }

    /// <summary>Running, Suspended, Completed or Faulted.</summary>
    public required string Status { get; set; }

    public string? Bookmark { get; set; }

    /// <summary>Variables, journal and error as one JSON document.</summary>
    public required string StateJson { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency: a message resumes an instance exactly once, also across hosts.</summary>
    public int Revision { get; set; }
}
