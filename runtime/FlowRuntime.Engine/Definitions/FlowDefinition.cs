using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowRuntime.Engine.Definitions;

/// <summary>The JSON a flow is stored and exchanged as (designer, API, files in <c>flows/</c>).</summary>
public sealed record FlowDefinition
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public FlowTrigger? Trigger { get; init; }

    public string? Start { get; init; }

    public IReadOnlyList<ActivityNode> Activities { get; init; } = [];

    public IReadOnlyList<FlowConnection> Connections { get; init; } = [];
}

public sealed record FlowTrigger
{
    /// <summary>Only <c>conversation</c> for now.</summary>
    public string Type { get; init; } = "conversation";

    public string? Channel { get; init; }
}

public sealed record ActivityNode
{
    public string Id { get; init; } = "";

    public string Type { get; init; } = "";

    public IReadOnlyDictionary<string, JsonElement>? Inputs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DesignerPosition? Position { get; init; }
}

public sealed record DesignerPosition(double X, double Y);

public sealed record FlowConnection(string Source, string Outcome, string Target);

public static class FlowJson
{
    /// <summary>camelCase web defaults; one options instance so the serializer caches its metadata.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static FlowDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<FlowDefinition>(json, Options) ?? throw new JsonException("The flow definition is null.");

    public static string Serialize(FlowDefinition definition) => JsonSerializer.Serialize(definition, Options);
}
