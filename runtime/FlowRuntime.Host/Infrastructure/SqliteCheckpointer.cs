using System.Data.Common;
using FlowRuntime.Persistence;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>
/// Copies the SQLite write-ahead log into the database file in the background. SQLite's automatic checkpoint runs
/// inside whichever commit crosses 1,000 WAL pages, and syncs the file there: every message queued behind that
/// commit waited for the disk (it set the load benchmark's p99). The host's connections turn the automatic
/// checkpoint off (<c>SqliteConnectionSetup</c>); this service checkpoints every second in PASSIVE mode, which never
/// blocks readers or writers. SQLite itself checkpoints when the last connection closes.
/// </summary>
internal sealed class SqliteCheckpointer(IServiceScopeFactory scopes, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Infrastructure cadence, not business time: a real-time timer, also under a test's fake clock.
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", cancellationToken);
        }
        catch (DbException e)
        {
            // The next tick tries again; until then the log only grows.
            logger.LogWarning(e, "SQLite checkpoint failed");
        }
    }
}
