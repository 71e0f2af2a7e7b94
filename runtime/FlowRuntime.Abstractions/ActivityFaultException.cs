namespace FlowRuntime.Abstractions;

/// <summary>
/// Thrown by a step that cannot go on and has no outcome for it. The engine faults the instance with
/// <see cref="Code"/> and the message; the message must be safe to show (no secrets).
/// </summary>
public sealed class ActivityFaultException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Stable snake_case error code, e.g. <c>integration_not_authorized</c>.</summary>
    public string Code { get; } = code;
}
