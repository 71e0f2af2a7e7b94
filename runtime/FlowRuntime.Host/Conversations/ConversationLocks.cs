using FlowRuntime.Persistence.Locking;

namespace FlowRuntime.Host.Conversations;

/// <summary>
/// Serializes the messages of one conversation inside this host, so a second message waits for the first
/// instead of racing it. Across hosts the instance row's revision check does the same job.
/// </summary>
public sealed class ConversationLocks
{
    private readonly KeyedAsyncLock _locks = new();

    public Task<IAsyncDisposable> AcquireAsync(string conversationKey, CancellationToken cancellationToken) =>
        _locks.AcquireAsync(conversationKey, cancellationToken);
}
