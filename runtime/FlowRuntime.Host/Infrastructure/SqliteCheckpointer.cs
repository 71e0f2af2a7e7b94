using System.Data.Common;
using System.Diagnostics;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Locking;
using FlowRuntime.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>
/// Copies the SQLite write-ahead log into the database file in the background. SQLite's automatic checkpoint runs
/// inside whichever commit crosses 1,000 WAL pages, and syncs the file there: every message queued behind that
/// commit waited for the disk (it set the load benchmark's p99). The host's connections turn the automatic
/// checkpoint off (<c>SqliteConnectionSetup</c>); this service checkpoints every second in PASSIVE mode, which never
/// blocks readers or writers, and starts the log over when it has grown large.
/// </summary>
internal sealed class SqliteCheckpointer(IServiceScopeFactory scopes, DatabaseWriteGate writeGate, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>About 16 MB with SQLite's 4 KiB pages.</summary>
    internal const int RestartAtFrames = 4096;

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
            if ((await CheckpointAsync(db, "PASSIVE", cancellationToken)).Frames < RestartAtFrames)
            {
                return;
            }

            // Under steady load some reader always uses the log, so SQLite never starts it over and the file grows
            // without bound (847 MB after one benchmark minute). RESTART waits for those readers and copies the rest
            // while message writes queue on the write gate; the next write then starts the log over (and
            // journal_size_limit trims the file). A second PASSIVE pass first copies what arrived during the first,
            // so writers wait for little more than the final sync: 0.1–7 ms measured, where TRUNCATE took 10–40 ms.
            await CheckpointAsync(db, "PASSIVE", cancellationToken);
            var blocked = Stopwatch.StartNew();
            using var gate = await writeGate.EnterAsync(cancellationToken);
            // A long read (an export) must not hold the writers: wait for readers at most this long, else next tick.
            var (busy, _) = await CheckpointAsync(db, "RESTART", cancellationToken, busyTimeoutMs: 200);
            logger.LogDebug("Write-ahead log {Outcome}; writes waited {Milliseconds:F1} ms",
                busy ? "not restarted (readers still in it)" : "restarted", blocked.Elapsed.TotalMilliseconds);
        }
        catch (DbException e)
        {
            // The next tick tries again; until then the log only grows.
            logger.LogWarning(e, "SQLite checkpoint failed");
        }
    }

    /// <summary>Whether the checkpoint could not finish (readers or a writer in the way), and the log's size in frames (pages).</summary>
    private static async Task<(bool Busy, long Frames)> CheckpointAsync(FlowRuntimeDbContext db, string mode, CancellationToken cancellationToken, int? busyTimeoutMs = null)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        try
        {
            if (busyTimeoutMs is { } timeout)
            {
                await ExecuteAsync(connection, $"PRAGMA busy_timeout={timeout};", cancellationToken);
            }

            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode});";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // (busy, frames in the log, frames checkpointed)
            return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0) != 0, reader.GetInt64(1)) : (true, 0);
        }
        finally
        {
            if (busyTimeoutMs is not null)
            {
                // The connection goes back to the pool: restore its usual wait.
                await ExecuteAsync(connection, $"PRAGMA busy_timeout={SqliteProvider.BusyTimeoutMilliseconds};", CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
