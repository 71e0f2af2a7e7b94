namespace FlowRuntime.Persistence.Locking;

/// <summary>
/// Implemented by the handles <see cref="IDatabaseLock"/> returns when the lock lives on a database connection:
/// a long-held lease must notice when that connection dies and the database has already let another host in.
/// </summary>
public interface IDatabaseLockHandle : IAsyncDisposable
{
    /// <summary>Cancelled when the lock is known to be lost before it was released; never for in-process locks.</summary>
    CancellationToken HandleLost { get; }
}
