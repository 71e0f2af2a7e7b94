using System.Text.Json.Nodes;
using FlowRuntime.Abstractions;
using FlowRuntime.Engine.Mapping;
using FlowRuntime.Engine.Templates;

namespace FlowRuntime.Engine.Execution;

/// <summary>The context one step execution sees.</summary>
internal sealed class StepContext(
    CompiledStep step,
    FlowInstanceState instance,
    FlowVariables variables,
    List<string> replies,
    IServiceProvider services,
    TimeProvider timeProvider,
    CancellationToken cancellationToken) : ActivityContext
{
    private List<string>? _notes;

    public override string ActivityId => step.Id;

    public override string FlowId => instance.FlowId;

    public override Guid InstanceId => instance.Id;

    public override string? ConversationId => instance.ConversationId;

    public override IFlowVariables Variables => variables;

    public override IServiceProvider Services => services;

    public override CancellationToken CancellationToken => cancellationToken;

    public override TimeProvider TimeProvider => timeProvider;

    public IReadOnlyList<string>? Notes => _notes;

    public override void Reply(string text) => replies.Add(text);

    public override void Log(string message) => (_notes ??= []).Add(message);

    public override string ResolveDeferred(string renderedInput, IReadOnlyDictionary<string, JsonNode?> roots) =>
        DeferredPlaceholder.Resolve(renderedInput, roots);


    public override bool TryEvaluateJsonPath(JsonNode? document, string path, out JsonNode? value) =>
        JsonPathExpression.ParseCached(path).TryEvaluate(document, out value);

    public override bool IsConnected(string outcome) => step.Next.ContainsKey(outcome);
}
