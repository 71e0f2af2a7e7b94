using System.Text.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Engine.Definitions;
using FlowRuntime.Engine.Execution;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Conversations;

/// <summary>Loads and saves instances: variables, bookmark and journal as one JSON document per row.</summary>
public sealed class InstanceStore(FlowRuntimeDbContext db, TimeProvider time, InstanceWriter writer, WaitingInstanceQuery waiting)
{
    public async Task<(FlowInstanceEntity Entity, FlowInstanceState State)?> FindWaitingAsync(string channel, string conversationId, CancellationToken ct)
    {
        var entity = await waiting.FindAsync(db, channel, conversationId, nameof(FlowInstanceStatus.Suspended), ct);
        return entity is null ? null : (entity, ToState(entity));
    }

    /// <summary>
    /// Inserts a new instance or updates the loaded one (group-committed with other messages' writes); an update
    /// that lost a race with another host throws <see cref="DbUpdateConcurrencyException"/>.
    /// </summary>
    public Task SaveAsync(FlowInstanceState state, FlowInstanceEntity? existing, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = new FlowInstanceEntity
        {
            Id = state.Id,
            FlowId = state.FlowId,
            Version = state.Version,
            Channel = state.Channel,
            ConversationId = state.ConversationId,
            Status = state.Status.ToString(),
            Bookmark = state.Bookmark,
            StateJson = JsonSerializer.Serialize(new InstanceDocument(state.Variables, state.Journal, state.Error), FlowJson.Options),
            CreatedAt = existing?.CreatedAt ?? now,
            UpdatedAt = now,
            Revision = (existing?.Revision ?? 0) + 1,
        };
        return writer.WriteAsync(row, existing?.Revision, ct);
    }

    private static FlowInstanceState ToState(FlowInstanceEntity entity)
    {
        var document = JsonSerializer.Deserialize<InstanceDocument>(entity.StateJson, FlowJson.Options)!;
        return new FlowInstanceState
        {
            Id = entity.Id,
            FlowId = entity.FlowId,
            Version = entity.Version,
            Channel = entity.Channel,
            ConversationId = entity.ConversationId,
            Variables = document.Variables ?? [],
            Journal = document.Journal ?? [],
            Error = document.Error,
            Bookmark = entity.Bookmark,
            Status = Enum.Parse<FlowInstanceStatus>(entity.Status),
        };
    }

    private sealed record InstanceDocument(JsonObject? Variables, List<JournalEntry>? Journal, FlowError? Error);
}
