using System.Text.Json.Nodes;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Persistence.Locking;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Conversations;

/// <summary>
/// Turns a message into a run: it resumes the conversation's waiting instance, or starts the flow given
/// by <paramref name="startFlow"/>, then persists the instance. Shared by the channel endpoint and the
/// designer's test panel (which runs drafts on the reserved test channel).
/// </summary>
public sealed class ConversationService(
    InstanceStore instances,
    ConversationLocks locks,
    FlowExecutor executor,
    IServiceProvider services,
    ILogger<ConversationService> logger)
{
    /// <summary>How often a message retries when another host updated the same instance first.</summary>
    private const int MaxConcurrencyRetries = 3;

    /// <param name="journalVariables">Snapshot the variables after every step, for a caller that shows them.</param>
    public async Task<RunResult?> HandleAsync(
        string channel,
        string conversationId,
        string? text,
        JsonObject? contact,
        IReadOnlyDictionary<string, JsonNode?>? variables,
        Func<FlowInstanceState?, CancellationToken, ValueTask<CompiledFlow?>> flowFor,
        CancellationToken ct,
        bool journalVariables = false)
    {
        await using var _ = await locks.AcquireAsync(channel, conversationId, ct);
        for (var attempt = 1; ; attempt++)
        {
            var waiting = await instances.FindWaitingAsync(channel, conversationId, ct);
            var flow = await flowFor(waiting?.State, ct);
            if (flow is null)
            {
                return null;
            }

            var state = waiting?.State ?? NewInstance(flow, channel, conversationId, variables);
            if (contact is not null)
            {
                state.Variables["contact"] = contact.DeepClone();
            }

            if (waiting is null && text is not null)
            {
                state.Variables["message"] = text;
            }

            var result = await executor.RunAsync(flow, state, text, services, ct, journalVariables ? true : null);
            try
            {
                await instances.SaveAsync(result.Instance, waiting?.Entity, ct);
                return result;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxConcurrencyRetries)
            {
                // The conversation lock makes this rare (a lock lost with its database session, or another writer of the
                // row): run the message again on the new state rather than lose it.
                logger.LogInformation("Conversation {ConversationId} changed concurrently; retrying (attempt {Attempt})", conversationId, attempt);
            }
        }
    }

    private static FlowInstanceState NewInstance(CompiledFlow flow, string channel, string conversationId, IReadOnlyDictionary<string, JsonNode?>? variables)
    {
        var state = new FlowInstanceState
        {
            Id = Guid.CreateVersion7(),
            FlowId = flow.FlowId,
            Version = flow.Version,
            Channel = channel,
            ConversationId = conversationId,
        };
        foreach (var (name, value) in variables ?? new Dictionary<string, JsonNode?>())
        {
            state.Variables[name] = value?.DeepClone();
        }

        return state;
    }
}
