namespace FlowRuntime.Abstractions;

/// <summary>
/// A step of a flow. The engine creates one instance per execution, sets its <see cref="InputAttribute"/>
/// properties from the flow definition (templates already rendered) and calls <see cref="ExecuteAsync"/>.
/// Expected failures (connect error, timeout, unexpected status) leave through an outcome; only bugs throw.
/// </summary>
public abstract class Activity
{
    public abstract ValueTask<Outcome> ExecuteAsync(ActivityContext context);

    /// <summary>
    /// Called when the instance was suspended at this activity (see <see cref="ActivityContext.Suspend"/>)
    /// and the next message of the conversation arrives. Inputs are bound again before the call.
    /// </summary>
    public virtual ValueTask<Outcome> ResumeAsync(ActivityContext context, string message) =>
        throw new InvalidOperationException($"{GetType().Name} suspended but does not implement ResumeAsync.");
}
