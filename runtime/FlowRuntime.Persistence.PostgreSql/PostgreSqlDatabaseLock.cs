using System.Diagnostics;
using FlowRuntime.Persistence.Locking;
using Medallion.Threading.Postgres;

namespace FlowRuntime.Persistence.PostgreSql;

/// <summary>
/// Session-level PostgreSQL advisory locks (DistributedLock.Postgres): a host that dies releases its locks with its
/// connection. Designed so that waiting never holds a connection, because a message that holds the conversation
/// lock also needs pooled connections for its own queries and for the token service: if waiters held connections,
/// a burst of messages could take the whole pool and leave the holders unable to finish.
/// <list type="bullet">
/// <item>Waiters of the same host queue in-process first, so a host never asks the database for a lock its own
/// session may already hold (advisory locks are re-entrant per session, which would let two callers in at once).</item>
/// <item>Short locks are taken with zero-timeout attempts on shared (multiplexed) connections, a few at a time per
/// host, so many held locks cost a handful of connections; a lock held by another host is polled for.</item>
/// <item>Leases (<see cref="ClusterLease"/>) get a dedicated connection that is watched for loss.</item>
/// </list>
/// </summary>
internal sealed class PostgreSqlDatabaseLock(string connectionString) : IDatabaseLock
{
    /// <summary>Keeps our keys apart from other applications' advisory locks on the same database.</summary>
    private const string KeyPrefix = "flowruntime:";

    /// <summary>Concurrent attempts per host; each may open a connection when the shared ones are busy.</summary>
    private const int MaxConcurrentAttempts = 4;

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(100);

    private readonly KeyedAsyncLock _local = new();
    private readonly SemaphoreSlim _attempts = new(MaxConcurrentAttempts, MaxConcurrentAttempts);

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
            var key = new PostgresAdvisoryLockKey(KeyPrefix + name, allowHashing: true);
            // A lease is held for the host's lifetime and watched for loss, which DistributedLock.Postgres 1.3.1 cannot
            // do safely on a shared connection (its monitor closes the connection under the other locks:
            // madelson/DistributedLock#263), so a lease gets a connection of its own.
            var lease = name.StartsWith(ClusterLease.LockPrefix, StringComparison.Ordinal);
            var distributedLock = new PostgresDistributedLock(key, connectionString, o => o.UseMultiplexing(!lease));
            var poll = FirstPoll;
            while (true)
            {
                PostgresDistributedLockHandle? handle;
                await _attempts.WaitAsync(cancellationToken);
                try
                {
                    handle = await distributedLock.TryAcquireAsync(TimeSpan.Zero, cancellationToken);
                }
                finally
                {
                    _attempts.Release();
                }

                if (handle is not null)
                {
                    return new Handle(handle, local, monitored: lease);
                }

                var remaining = timeout == Timeout.InfiniteTimeSpan ? MaxPoll : timeout - Stopwatch.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    await local.DisposeAsync();
                    return null;
                }

                // Held by another host: poll without a connection. The holder's release is seen within MaxPoll.
                await Task.Delay(poll < remaining ? poll : remaining, cancellationToken);
                poll = poll * 2 < MaxPoll ? poll * 2 : MaxPoll;
            }
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

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
