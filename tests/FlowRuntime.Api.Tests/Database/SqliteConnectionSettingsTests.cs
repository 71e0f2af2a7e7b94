#if !FLOWRUNTIME_POSTGRESQL
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Api.Tests.Database;

/// <summary>The embedded database's per-connection settings hold on every open, pooled connections included.</summary>
public sealed class SqliteConnectionSettingsTests
{
    [Fact]
    public async Task EveryOpenedConnection_HasWalFriendlySettings_IncludingReusedPooledOnes()
    {
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());
        _ = factory.CreateClient(); // starts the host (and migrates)

        for (var open = 0; open < 3; open++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
            await db.Database.OpenConnectionAsync();
            Assert.Equal(1L, await ScalarAsync(db, "PRAGMA synchronous;")); // NORMAL
            Assert.Equal(30000L, await ScalarAsync(db, "PRAGMA busy_timeout;"));
            Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode;"));
            Assert.Equal(0L, await ScalarAsync(db, "PRAGMA wal_autocheckpoint;")); // the host checkpoints in the background
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public async Task WriteAheadLog_IsCheckpointedInTheBackground_NotByACommit()
    {
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());
        _ = factory.CreateClient();
        var file = Directory.GetFiles(factory.DataPath, "*.db").Single();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        var before = new FileInfo(file).Length;

        // About 4 MB: well past the 1,000 pages at which a commit would checkpoint by itself.
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE filler (data BLOB)");
        for (var i = 0; i < 4; i++)
        {
            await AddMegabyteAsync(db);
        }

        Assert.Equal(before, new FileInfo(file).Length); // the commits left the pages in the log
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (new FileInfo(file).Length == before && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }

        Assert.True(new FileInfo(file).Length > before + 3_000_000, "the background checkpoint copied the log into the database file");
    }

    [Fact]
    public async Task WriteAheadLog_UnderOverlappingReaders_StaysBounded()
    {
        // With a reader always inside the log SQLite never starts it over by itself: the file grew to 847 MB in one
        // benchmark minute. The checkpointer restarts it once it passes ~16 MB.
        using var factory = new FlowRuntimeFactory(FlowRuntimeFactory.NewDataPath());
        _ = factory.CreateClient();
        var path = Directory.GetFiles(factory.DataPath, "*.db").Single();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE filler (data BLOB)");

        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(n => Task.Run(async () =>
        {
            await Task.Delay(n * 15);
            while (!stop.IsCancellationRequested)
            {
                await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
                await connection.OpenAsync();
                await using var transaction = connection.BeginTransaction(deferred: true); // a read transaction, no write lock
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM filler";
                await command.ExecuteScalarAsync();
                await Task.Delay(30); // overlaps the other reader: the log always has a reader
            }
        })).ToList();

        long largest = 0;
        for (var i = 0; i < 80; i++) // about 80 MB of pages over several seconds (the checkpointer looks every second)
        {
            await AddMegabyteAsync(db);
            largest = Math.Max(largest, new FileInfo(path + "-wal").Length);
            await Task.Delay(60);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        // Without restarts it holds all 80 MB; restarted past 16 MB it stays at 16 MB plus what arrives between checks.
        Assert.True(largest < 60_000_000, $"the log grew to {largest / 1_000_000} MB");
    }

    /// <summary>About a megabyte of new pages (1,000 random 1 KiB rows) in the filler table.</summary>
    private static Task AddMegabyteAsync(FlowRuntimeDbContext db) =>
        db.Database.ExecuteSqlRawAsync("INSERT INTO filler SELECT randomblob(1024) FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) SELECT x FROM n)");

    private static async Task<object?> ScalarAsync(FlowRuntimeDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
#endif
