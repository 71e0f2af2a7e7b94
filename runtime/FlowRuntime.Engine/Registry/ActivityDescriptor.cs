using System.Reflection;

namespace FlowRuntime.Engine.Registry;

/// <summary>What the designer needs to render a step (palette entry, ports, property form).</summary>
public sealed record ActivityDescriptor(
    string Type,
    string DisplayName,
    string Category,
    string Description,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<InputDescriptor> Inputs)
{
    /// <summary>The implementing class; not serialized.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Type ClrType { get; init; } = typeof(object);

    /// <summary>Template roots the step resolves itself (<see cref="Abstractions.ActivityAttribute.DeferredTemplateRoots"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlySet<string> DeferredTemplateRoots { get; init; } = new HashSet<string>();

    /// <summary>The assembly (plugin) the step comes from.</summary>
    public string Source => ClrType.Assembly.GetName().Name ?? "";
}

/// <summary>One input of a step. <see cref="Type"/> is string, number, boolean, json, dictionary or list.</summary>
public sealed record InputDescriptor(
    string Name,
    string DisplayName,
    string Description,
    string Type,
    string UIHint,
    IReadOnlyList<string>? Options,
    object? DefaultValue,
    bool Required,
    bool Secret)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public PropertyInfo Property { get; init; } = null!;
}
