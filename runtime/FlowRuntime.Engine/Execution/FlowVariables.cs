using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Engine.Templates;

namespace FlowRuntime.Engine.Execution;

/// <summary>The instance's variables as seen by steps and templates.</summary>
internal sealed class FlowVariables(JsonObject values) : IFlowVariables, ITemplateScope
{
    public JsonNode? this[string name]
    {
        get => values.TryGetPropertyValue(name, out var value) ? value : null;
        set
        {
            // A node can have one parent: adopt values that already belong to another document.
            values[name] = value?.Parent is null ? value : value.DeepClone();
        }
    }

    public IEnumerable<string> Names => values.Select(p => p.Key);

    public bool TryGet(string name, out JsonNode? value) => values.TryGetPropertyValue(name, out value);

    public bool TryGetRoot(string name, out JsonNode? value) => values.TryGetPropertyValue(name, out value);

    /// <summary>The roots the step being bound resolves itself; set by the executor before each step (a run is sequential).</summary>
    public IReadOnlySet<string> DeferredRoots { get; set; } = new HashSet<string>();

    public bool IsDeferred(string name) => DeferredRoots.Contains(name);
}
