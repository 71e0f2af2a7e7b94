namespace FlowRuntime.Persistence.Entities;

/// <summary>One entry of an integration's connection log (authorization, exchange, refresh, revocation, use).</summary>
public sealed class IntegrationLogEntity
{
    public long Id { get; set; }

    public required string IntegrationId { get; set; }

    public DateTime At { get; set; }

    public required string Kind { get; set; }

    public bool Success { get; set; }

    public long? DurationMs { get; set; }

    public int? HttpStatus { get; set; }

    public string? Error { get; set; }

    public string? Message { get; set; }
}
