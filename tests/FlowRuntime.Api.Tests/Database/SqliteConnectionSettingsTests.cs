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
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<object?> ScalarAsync(FlowRuntimeDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
#endif
