using System.Diagnostics;
using FlowRuntime.Persistence.Locking;
using Medallion.Threading.Postgres;

namespace FlowRuntime.Persistence.PostgreSql;

/// <summary>
/// Session-level PostgreSQL advisory locks (DistributedLock.Postgres): a host that dies releases its locks
/// with its connection. Waiters of the same host queue in-process first, so one host never spends more than
/// one connection per lock name, and a host never asks the database for a lock its own session may already hold
/// (advisory locks are re-entrant per session, which would let two callers of one host in at once).
/// </summary>
internal sealed class PostgreSqlDatabaseLock(string connectionString) : IDatabaseLock
{
    /// <summary>Keeps our keys apart from other applications' advisory locks on the same database.</summary>
    private const string KeyPrefix = "flowruntime:";

    private readonly KeyedAsyncLock _local = new();

    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var local = await _local.TryAcquireAsync(name, timeout, cancellationToken);
        if (local is null)
        {
            return null;
        }

        try
        {
            var remaining = timeout == Timeout.InfiniteTimeSpan ? timeout : Max(TimeSpan.Zero, timeout - Stopwatch.GetElapsedTime(started));
            var key = new PostgresAdvisoryLockKey(KeyPrefix + name, allowHashing: true);
            // Short locks (a conversation's message, a token refresh) share connections: one connection holds many
            // advisory locks, so a burst of messages does not need a connection per lock. A lease is held for the
            // host's lifetime and watched for loss, which DistributedLock.Postgres 1.3.1 cannot do safely on a shared
            // connection (its monitor closes the connection under the other locks: madelson/DistributedLock#263), so
            // a lease gets a connection of its own.
            var lease = name.StartsWith(ClusterLease.LockPrefix, StringComparison.Ordinal);
            var handle = await new PostgresDistributedLock(key, connectionString, o => o.UseMultiplexing(!lease)).TryAcquireAsync(remaining, cancellationToken);
            if (handle is null)
            {
                await local.DisposeAsync();
                return null;
            }

            return new Handle(handle, local, monitored: lease);
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Handle(PostgresDistributedLockHandle database, IAsyncDisposable local, bool monitored) : IDatabaseLockHandle
    {
        private int _released;

        /// <summary>Only leases are monitored (see above); a short lock lost with its session is caught by the row's revision check.</summary>
        public CancellationToken HandleLost => monitored ? database.HandleLostToken : CancellationToken.None;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await database.DisposeAsync();
            }
            finally
            {
                // Only after the database lock is gone may the next caller of this host ask for it.
                await local.DisposeAsync();
            }
        }
    }
}
