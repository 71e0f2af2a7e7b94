using FlowRuntime.Persistence.Locking;

namespace FlowRuntime.Host.Conversations;

/// <summary>
/// Serializes the messages of one conversation across the whole deployment, so a second message waits for the
/// first instead of racing it: an in-process lock with the embedded SQLite database, a database lock
/// (PostgreSQL advisory lock, SQL Server app lock) when several hosts share one. Without it two hosts could both
/// find no waiting instance and both start one, since a new row has nothing to conflict on.
/// </summary>
public sealed class ConversationLocks(IDatabaseLock locks)
{
    public async Task<IAsyncDisposable> AcquireAsync(string channel, string conversationId, CancellationToken cancellationToken) =>
        await locks.TryAcquireAsync($"conversation:{channel}:{conversationId}", Timeout.InfiniteTimeSpan, cancellationToken)
        ?? throw new InvalidOperationException("Unreachable: an infinite wait returned.");
}
