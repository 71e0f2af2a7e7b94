namespace FlowRuntime.Abstractions;

/// <summary>Marks a class as a flow step and describes it for the designer's palette.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string type) : Attribute
{
    /// <summary>Stable type name used in flow definitions, e.g. <c>SendMessage</c>.</summary>
    public string Type { get; } = type;

    public string? DisplayName { get; init; }

    public string Category { get; init; } = "General";

    public string Description { get; init; } = "";

    /// <summary>
    /// Template roots this step fills in itself, e.g. <c>oauth</c> for steps that call an integration: the engine
    /// leaves such placeholders for <see cref="ActivityContext.ResolveDeferred"/>. In other steps they are missing variables.
    /// </summary>
    public string[] DeferredTemplateRoots { get; init; } = [];
}

/// <summary>Declares the outcomes (ports) an activity can leave through. Without it the only outcome is <c>Done</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OutcomesAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
