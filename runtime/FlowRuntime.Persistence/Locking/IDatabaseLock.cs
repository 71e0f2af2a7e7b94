namespace FlowRuntime.Persistence.Locking;

/// <summary>
/// A named mutual-exclusion lock scoped to the deployment's database: with one embedded SQLite host it is
/// an in-process lock; with several hosts on PostgreSQL or SQL Server it is a database lock, so exactly one
/// host holds it (token refresh per integration, cluster-wide background work).
/// </summary>
public interface IDatabaseLock
{
    /// <summary>Waits up to <paramref name="timeout"/>; null when the lock could not be had in time.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken);
}
