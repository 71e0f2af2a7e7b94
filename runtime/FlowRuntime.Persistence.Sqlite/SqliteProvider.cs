using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace FlowRuntime.Persistence.Sqlite;

public static class SqliteProvider
{
    public static void Configure(SqliteDbContextOptionsBuilder sqlite) =>
        sqlite.MigrationsAssembly(typeof(SqliteProvider).Assembly.GetName().Name);

    private static readonly SqliteConnectionSetup ConnectionSetup = new();

    public static DbContextOptionsBuilder UseFlowRuntimeSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, Configure).AddInterceptors(ConnectionSetup);
}
