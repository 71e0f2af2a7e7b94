using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Engine.Templates;

namespace FlowRuntime.Engine.Execution;

/// <summary>The instance's variables as seen by steps and templates.</summary>
internal sealed class FlowVariables(JsonObject values) : IFlowVariables, ITemplateScope
{
    private static readonly IReadOnlyDictionary<string, JsonNode?> NoExtraRoots = new Dictionary<string, JsonNode?>();

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

    /// <summary>A scope with extra roots (e.g. <c>oauth</c>) on top of the variables.</summary>
    public ITemplateScope With(IReadOnlyDictionary<string, JsonNode?>? extraRoots) =>
        new ExtendedScope(this, extraRoots ?? NoExtraRoots);

    private sealed class ExtendedScope(FlowVariables variables, IReadOnlyDictionary<string, JsonNode?> extra) : ITemplateScope
    {
        public bool TryGetRoot(string name, out JsonNode? value) =>
            extra.TryGetValue(name, out value) || variables.TryGetRoot(name, out value);

        public bool IsDeferred(string name) => false;
    }
}
