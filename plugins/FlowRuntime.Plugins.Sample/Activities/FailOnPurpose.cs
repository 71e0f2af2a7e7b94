using FlowRuntime.Abstractions;

namespace FlowRuntime.Plugins.Sample.Activities;

/// <summary>
/// Shows what happens when a plugin has a bug: the step faults with a clear error, the host keeps serving. Expected
/// failures (a bad answer from an API) should leave through an outcome instead; see the Http plugin.
/// </summary>
[Activity("SampleFailOnPurpose", DisplayName = "Fail on purpose (sample)", Category = "Sample",
    Description = "Throws, to show how a failing plugin step is reported. Do not use in real flows.")]
public sealed class FailOnPurpose : Activity
{
    [Input(Description = "The exception message.")]
    public string Message { get; set; } = "the sample plugin failed on purpose";

    public override ValueTask<Outcome> ExecuteAsync(ActivityContext context) => throw new InvalidOperationException(Message);
}
