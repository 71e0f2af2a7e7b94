namespace FlowRuntime.Persistence.Entities;

/// <summary>A conversation channel (web widget, WhatsApp bridge, ...) with the hash of its secret.</summary>
public sealed class ChannelEntity
{
    public required string Name { get; set; }

    /// <summary>SHA-256 of the channel secret; the secret itself is shown once, at creation.</summary>
    public required string SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }
}
