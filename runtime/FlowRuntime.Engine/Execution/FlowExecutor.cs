using System.Diagnostics;
using FlowRuntime.Abstractions;
using FlowRuntime.Engine.Expressions;
using FlowRuntime.Engine.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowRuntime.Engine.Execution;

/// <summary>
/// Runs a compiled flow: from the start (or the bookmark, with the incoming message) it executes steps
/// and follows the outcome each returns, until a step has no outgoing connection, suspends, or faults.
/// </summary>
public sealed class FlowExecutor(IOptions<FlowEngineOptions> options, TimeProvider timeProvider, ILogger<FlowExecutor> logger)
{
    public static readonly ActivitySource ActivitySource = new("FlowRuntime.Engine");

    private readonly FlowEngineOptions _options = options.Value;

    /// <param name="message">The incoming message text; required to resume a suspended instance.</param>
    /// <param name="journalVariables">Snapshot the variables after every step (a test run); null follows <see cref="FlowEngineOptions.JournalVariables"/>.</param>
    public async ValueTask<RunResult> RunAsync(CompiledFlow flow, FlowInstanceState instance, string? message, IServiceProvider services, CancellationToken cancellationToken,
        bool? journalVariables = null)
    {
        var snapshots = journalVariables ?? _options.JournalVariables;
        using var trace = ActivitySource.StartActivity("flow.run");
        trace?.SetTag("flow.id", flow.FlowId);
        trace?.SetTag("flow.version", flow.Version);

        var replies = new List<string>();
        var variables = new FlowVariables(instance.Variables);
        var resuming = instance.Status == FlowInstanceStatus.Suspended;
        CompiledStep? step;
        if (resuming)
        {
            if (instance.Bookmark is null || !flow.Steps.TryGetValue(instance.Bookmark, out step))
            {
                return Fault(instance, replies, new FlowError("bookmark_missing", $"The waiting activity '{instance.Bookmark}' is not in version {flow.Version} of the flow.", instance.Bookmark));
            }
        }
        else
        {
            step = flow.Start;
        }

        instance.Status = FlowInstanceStatus.Running;
        instance.Bookmark = null;
        var steps = 0;
        while (step is not null)
        {
            if (++steps > _options.MaxStepsPerRun)
            {
                return Fault(instance, replies, new FlowError("loop_guard",
                    $"The flow ran more than {_options.MaxStepsPerRun} steps for one message and was stopped; check for a loop without a waiting step.", step.Id));
            }

            var started = timeProvider.GetTimestamp();
            var startedAt = timeProvider.GetUtcNow();
            var context = new StepContext(step, instance, variables, replies, services, timeProvider, cancellationToken);
            Outcome outcome;
            try
            {
                var activity = (Abstractions.Activity)step.Factory(services, null);
                variables.DeferredRoots = step.Descriptor.DeferredTemplateRoots;
                foreach (var input in step.Inputs)
                {
                    input.Apply(activity, variables);
                }

                outcome = resuming
                    ? await activity.ResumeAsync(context, message ?? "").ConfigureAwait(false)
                    : await activity.ExecuteAsync(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                var error = ToError(step, e);
                AddJournal(instance, step, null, startedAt, started, snapshots, context, error);
                return Fault(instance, replies, error);
            }

            resuming = false;
            if (outcome.IsSuspended)
            {
                AddJournal(instance, step, "Suspended", startedAt, started, snapshots, context, null);
                instance.Status = FlowInstanceStatus.Suspended;
                instance.Bookmark = step.Id;
                return new RunResult(instance, replies);
            }

            AddJournal(instance, step, outcome.Name, startedAt, started, snapshots, context, null);
            step = step.Next.GetValueOrDefault(outcome.Name);
        }

        instance.Status = FlowInstanceStatus.Completed;
        return new RunResult(instance, replies);
    }

    private FlowError ToError(CompiledStep step, Exception e)
    {
        switch (e)
        {
            case TemplateException t:
                return new FlowError(TemplateException.ErrorCode, $"{step.Id}: {t.Message}", step.Id);
            case ExpressionException x:
                return new FlowError(x.Code, $"{step.Id}: {x.Message}", step.Id);
            case ActivityFaultException f:
                return new FlowError(f.Code, $"{step.Id}: {f.Message}", step.Id);
            default:
                // A plugin bug: the step fails, the host goes on. The exception type is shown, its details stay in the server log.
                logger.LogError(e, "Activity {ActivityId} ({ActivityType}) threw", step.Id, step.Descriptor.Type);
                return new FlowError("activity_failed", $"{step.Id} ({step.Descriptor.Type}) failed with {e.GetType().Name}: {e.Message}", step.Id);
        }
    }

    private static RunResult Fault(FlowInstanceState instance, List<string> replies, FlowError error)
    {
        instance.Status = FlowInstanceStatus.Faulted;
        instance.Error = error;
        return new RunResult(instance, replies);
    }

    private void AddJournal(FlowInstanceState instance, CompiledStep step, string? outcome, DateTimeOffset startedAt, long started, bool snapshot, StepContext context, FlowError? error)
    {
        var variables = snapshot ? (System.Text.Json.Nodes.JsonObject)instance.Variables.DeepClone() : null;
        instance.Journal.Add(new JournalEntry(step.Id, step.Descriptor.Type, outcome, startedAt,
            timeProvider.GetElapsedTime(started).TotalMilliseconds, variables, error, context.Notes));
        if (instance.Journal.Count > _options.MaxJournalEntries)
        {
            instance.Journal.RemoveRange(0, instance.Journal.Count - _options.MaxJournalEntries);
        }
    }
}
