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

    /// <summary>Renders a template with the flow variables plus optional extra roots (e.g. <c>oauth</c>).</summary>
    public abstract string RenderTemplate(string template, IReadOnlyDictionary<string, JsonNode?>? extraRoots = null);

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
