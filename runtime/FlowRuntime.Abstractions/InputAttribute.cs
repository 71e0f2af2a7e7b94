namespace FlowRuntime.Abstractions;

/// <summary>
/// Marks a public settable property as an input set from the flow definition. Supported property types:
/// string, int, long, double, bool, enums, <c>IReadOnlyDictionary&lt;string,string&gt;</c>,
/// <c>IReadOnlyList&lt;string&gt;</c>, <c>IReadOnlyList&lt;int&gt;</c> and <c>System.Text.Json.Nodes.JsonNode</c>.
/// Every string inside is rendered as a template (<c>{{ name }}</c> or <c>&lt;&lt;name&gt;&gt;</c>) before the step runs.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class InputAttribute : Attribute
{
    public string? DisplayName { get; init; }

    public string Description { get; init; } = "";

    /// <summary>How the designer edits the value; one of <see cref="UIHints"/>. Defaults from the property type.</summary>
    public string? UIHint { get; init; }

    /// <summary>Choices for a dropdown.</summary>
    public string[]? Options { get; init; }

    public object? DefaultValue { get; init; }

    public bool Required { get; init; }

    /// <summary>A secret is masked in the designer and never written to the journal.</summary>
    public bool Secret { get; init; }
}

public static class UIHints
{
    public const string SingleLine = "singleline";
    public const string MultiLine = "multiline";
    public const string Dropdown = "dropdown";
    public const string Checkbox = "checkbox";
    public const string Json = "json";
    public const string KeyValue = "keyvalue";
    public const string Mappings = "mappings";
    public const string Integration = "integration";
    public const string Code = "code";
}
