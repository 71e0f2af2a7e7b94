namespace FlowRuntime.Persistence.Locking;

/// <summary>
/// SQLite has one writer at a time: concurrent write transactions collide and back off with sleeps, which
/// turns a sub-millisecond insert into tens of milliseconds under load. Queueing the hot-path writers of this
/// process in front of the database costs nothing and keeps latency flat. Shared databases (PostgreSQL,
/// SQL Server) take concurrent writers, so there the gate is open.
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
