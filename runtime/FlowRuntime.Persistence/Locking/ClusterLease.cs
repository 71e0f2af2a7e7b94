using Microsoft.Extensions.Logging;

namespace FlowRuntime.Persistence.Locking;

/// <summary>
/// "Run this periodic job on one host of the cluster": the host that holds the lease (an <see cref="IDatabaseLock"/>
/// named <c>lease:{name}</c>, see <see cref="LockPrefix"/>) keeps it and runs the job every period; the others try
/// to take it over every retry interval, which succeeds once the holder stops or its database session dies. A hosted
/// service calls <see cref="RunAsync"/> from <c>ExecuteAsync</c>.
/// </summary>
public sealed class ClusterLease(IDatabaseLock locks, TimeProvider time, ILogger<ClusterLease> logger)
{
    /// <summary>
    /// Lease lock names start with this, so database locks can hold them differently from short locks (a dedicated,
    /// monitored connection rather than a shared one).
    /// </summary>
    public const string LockPrefix = "lease:";

    /// <summary>
    /// A holder whose database session died learns it from the lock monitor, a moment after the database already
    /// released the lock. A new holder of a monitored (shared-database) lease waits this long before its first run,
    /// so the old holder has stopped and the job never runs on two hosts at once.
    /// </summary>
    public static readonly TimeSpan TakeoverGrace = TimeSpan.FromSeconds(1);

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; a failing job is logged and run again next period.</summary>
    /// <param name="retryInterval">How often a host without the lease tries to take it; defaults to <paramref name="period"/>.</param>
    public async Task RunAsync(string name, TimeSpan period, Func<CancellationToken, Task> job, CancellationToken stoppingToken, TimeSpan? retryInterval = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        var retry = retryInterval ?? period;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lease = await locks.TryAcquireAsync(LockPrefix + name, TimeSpan.Zero, stoppingToken);
                if (lease is not null)
                {
                    var lost = lease is IDatabaseLockHandle handle ? handle.HandleLost : CancellationToken.None;
                    try
                    {
                        logger.LogInformation("This host holds lease {Lease} and runs its job every {Period}", name, period);
                        if (lease is IDatabaseLockHandle)
                        {
                            // Real time on purpose: it covers the monitor's detection latency, not business time.
                            await Task.Delay(TakeoverGrace, stoppingToken);
                        }

                        await RunWhileHeldAsync(name, lost, period, job, stoppingToken);
                    }
                    finally
                    {
                        await ReleaseAsync(name, lease, lost);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be unreachable for a while; keep trying rather than stopping the host.
                logger.LogWarning(e, "Lease {Lease} could not be acquired or was lost", name);
            }

            try
            {
                await Task.Delay(retry, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReleaseAsync(string name, IAsyncDisposable lease, CancellationToken lost)
    {
        try
        {
            await lease.DisposeAsync();
        }
        catch (Exception e) when (lost.IsCancellationRequested)
        {
            // The session that held the lease is gone, and the database released the lock with it.
            logger.LogDebug(e, "Releasing lost lease {Lease} failed as expected", name);
        }
    }

    private async Task RunWhileHeldAsync(string name, CancellationToken lost, TimeSpan period, Func<CancellationToken, Task> job, CancellationToken stoppingToken)
    {
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost);
        while (!held.IsCancellationRequested)
        {
            try
            {
                await job(held.Token);
            }
            catch (OperationCanceledException) when (held.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Job of lease {Lease} failed; it runs again in {Period}", name, period);
            }

            try
            {
                await Task.Delay(period, time, held.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Lease {Lease} was lost (database session ended); trying to take it again", name);
        }
    }
}
