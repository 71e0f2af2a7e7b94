using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace FlowRuntime.Persistence.Sqlite;

public static class SqliteProvider
{
    /// <summary>How long a connection waits for another's lock (<c>PRAGMA busy_timeout</c>).</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    public static void Configure(SqliteDbContextOptionsBuilder sqlite) =>
        sqlite.MigrationsAssembly(typeof(SqliteProvider).Assembly.GetName().Name);

    private static readonly SqliteConnectionSetup ConnectionSetup = new();

    public static DbContextOptionsBuilder UseFlowRuntimeSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, Configure).AddInterceptors(ConnectionSetup);
}
