namespace FlowRuntime.Persistence.Locking;

/// <summary>
/// SQLite has one writer at a time, and a writer that finds the database locked sleeps (1 ms, 2 ms, 5 ms, ...)
/// before it retries. The host's background writers (instance group commit, connection log) take this gate so
/// they queue in memory instead of colliding in SQLite. Shared databases take concurrent writers: open gate.
/// </summary>
public sealed class DatabaseWriteGate(bool serializeWrites)
{
    private readonly SemaphoreSlim? _gate = serializeWrites ? new SemaphoreSlim(1, 1) : null;

    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync(cancellationToken);
        }

        return new Lease(_gate);
    }

    public readonly struct Lease(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
