namespace FlowRuntime.Persistence.Entities;

/// <summary>An immutable published version of a flow.</summary>
public sealed class FlowVersionEntity
{
    public required string FlowId { get; set; }

    public int Version { get; set; }

    public required string DefinitionJson { get; set; }

    public DateTime PublishedAt { get; set; }
}
