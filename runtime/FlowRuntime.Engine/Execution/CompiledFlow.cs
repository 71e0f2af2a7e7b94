using System.Collections.Frozen;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Engine.Execution;

/// <summary>A validated flow version ready to run: steps with compiled inputs and their outgoing connections.</summary>
public sealed class CompiledFlow
{
    internal CompiledFlow(string flowId, int version, FlowDefinition definition, CompiledStep start, FrozenDictionary<string, CompiledStep> steps)
    {
        FlowId = flowId;
        Version = version;
        Definition = definition;
        Start = start;
        Steps = steps;
    }

    public string FlowId { get; }

    /// <summary>Published version number; 0 for the draft.</summary>
    public int Version { get; }

    public FlowDefinition Definition { get; }

    internal CompiledStep Start { get; }

    internal FrozenDictionary<string, CompiledStep> Steps { get; }
}

internal sealed class CompiledStep(string id, ActivityDescriptor descriptor, ObjectFactory factory, InputBinding[] inputs)
{
    public string Id { get; } = id;

    public ActivityDescriptor Descriptor { get; } = descriptor;

    public ObjectFactory Factory { get; } = factory;

    public InputBinding[] Inputs { get; } = inputs;

    /// <summary>Outcome name → next step; filled after all steps exist.</summary>
    public FrozenDictionary<string, CompiledStep> Next { get; set; } = FrozenDictionary<string, CompiledStep>.Empty;
}
