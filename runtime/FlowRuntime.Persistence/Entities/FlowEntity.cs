namespace FlowRuntime.Persistence.Entities;

/// <summary>A flow's editable draft plus a pointer to its published version.</summary>
public sealed class FlowEntity
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The draft definition JSON (what the designer edits).</summary>
    public required string DefinitionJson { get; set; }

    public int? PublishedVersion { get; set; }

    /// <summary>The conversation channel the published version listens on.</summary>
    public string? PublishedChannel { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
