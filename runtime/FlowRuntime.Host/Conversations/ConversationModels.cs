using System.Text.Json.Nodes;
using FlowRuntime.Engine.Execution;

namespace FlowRuntime.Host.Conversations;

/// <summary>Body of <c>POST /api/channels/{channel}/messages</c>.</summary>
public sealed record ChannelMessage(string? ConversationId, JsonObject? Contact, string? Text);

public sealed record ChannelReply(string ConversationId, Guid InstanceId, FlowInstanceStatus Status, IReadOnlyList<string> Replies, FlowError? Error);

/// <summary>What a run returns: replies of this message plus the instance's state and journal.</summary>
public sealed record RunResponse(Guid InstanceId, FlowInstanceStatus Status, IReadOnlyList<string> Replies, JsonObject Variables, IReadOnlyList<JournalEntry> Journal, FlowError? Error)
{
    public static RunResponse From(RunResult result) => new(result.Instance.Id, result.Instance.Status, result.Replies,
        result.Instance.Variables, result.Instance.Journal, result.Instance.Error);
}
