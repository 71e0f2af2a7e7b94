using System.Text.Json.Nodes;

namespace FlowRuntime.Abstractions;

/// <summary>What a running step can see and do. One context per step execution.</summary>
public abstract class ActivityContext
{
    public abstract string ActivityId { get; }

    public abstract string FlowId { get; }

    public abstract Guid InstanceId { get; }

    /// <summary>The conversation that triggered the flow, when there is one.</summary>
    public abstract string? ConversationId { get; }

    public abstract IFlowVariables Variables { get; }

    public abstract IServiceProvider Services { get; }

    public abstract CancellationToken CancellationToken { get; }

    public abstract TimeProvider TimeProvider { get; }

    /// <summary>Sends a message back to the conversation.</summary>
    public abstract void Reply(string text);

    /// <summary>Adds a note to this step's journal entry. Never pass secrets or tokens.</summary>
    public abstract void Log(string message);

    /// <summary>
    /// Evaluates a JSON path against <paramref name="document"/>: <c>data.last_name</c>, <c>data.items[0].id</c> or full
    /// JSONPath such as <c>$..id</c> (several matches give an array). False when nothing matches; throws
    /// <see cref="ArgumentException"/> when the path is not valid.
    /// </summary>
    /// <remarks>Virtual rather than abstract so contexts written before it (test doubles) still compile.</remarks>
    public virtual bool TryEvaluateJsonPath(JsonNode? document, string path, out JsonNode? value) =>
        throw new NotSupportedException("This context does not evaluate JSON paths.");

    /// <summary>
    /// True when the flow connects <paramref name="outcome"/> of this step to a next step. Lets a step with many
    /// specific ports (e.g. one per HTTP status) fall back to a general one (<c>Success</c>, <c>Failure</c>) when the
    /// designer left the specific port unconnected.
    /// </summary>
    public virtual bool IsConnected(string outcome) => false;

    /// <summary>
    /// Fills in the placeholders of the roots the step declared in <see cref="ActivityAttribute.DeferredTemplateRoots"/>
    /// in an input value the engine already rendered. Only placeholders the flow designer wrote are filled in.
    /// </summary>
    public abstract string ResolveDeferred(string renderedInput, IReadOnlyDictionary<string, JsonNode?> roots);

    /// <summary>Persists the instance here; <see cref="Activity.ResumeAsync"/> runs on the next message.</summary>
    public Outcome Suspend() => Outcome.Suspended;

    public T GetRequiredService<T>() where T : notnull =>
        (T)(Services.GetService(typeof(T)) ?? throw new InvalidOperationException($"Service {typeof(T).Name} is not registered."));
}

/// <summary>Flow variables: JSON values by name (<c>contact</c> holds the message's contact fields).</summary>
public interface IFlowVariables
{
    JsonNode? this[string name] { get; set; }

    bool TryGet(string name, out JsonNode? value);

    IEnumerable<string> Names { get; }
}
