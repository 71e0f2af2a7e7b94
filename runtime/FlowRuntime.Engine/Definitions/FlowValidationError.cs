namespace FlowRuntime.Engine.Definitions;

/// <summary>One problem in a flow definition. <see cref="Code"/> is stable snake_case.</summary>
public sealed record FlowValidationError(string Code, string Message, string? ActivityId = null, string? Input = null);

public static class FlowErrorCodes
{
    public const string MissingName = "missing_name";
    public const string MissingStart = "missing_start";
    public const string UnknownStart = "unknown_start";
    public const string DuplicateActivityId = "duplicate_activity_id";
    public const string MissingActivityId = "missing_activity_id";
    public const string UnknownActivityType = "unknown_activity_type";
    public const string UnknownInput = "unknown_input";
    public const string MissingRequiredInput = "missing_required_input";
    public const string InvalidInputValue = "invalid_input_value";
    public const string DanglingConnection = "dangling_connection";
    public const string UnknownOutcome = "unknown_outcome";
    public const string DuplicateConnection = "duplicate_connection";
    public const string UnsupportedTrigger = "unsupported_trigger";
}

/// <summary>A definition that cannot run; carries every problem found, not just the first.</summary>
public sealed class FlowValidationException(IReadOnlyList<FlowValidationError> errors)
    : Exception($"The flow definition has {errors.Count} problem(s): " + string.Join("; ", errors.Select(e => e.Message)))
{
    public IReadOnlyList<FlowValidationError> Errors { get; } = errors;
}
