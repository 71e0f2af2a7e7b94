namespace FlowRuntime.Persistence.Locking;

/// <summary>The single-host lock for the embedded SQLite default.</summary>
public sealed class InProcessDatabaseLock : IDatabaseLock
{
    private readonly KeyedAsyncLock _locks = new();

    public Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken) =>
        _locks.TryAcquireAsync(name, timeout, cancellationToken);
}
