using FlowRuntime.Persistence.Locking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace FlowRuntime.Persistence.SqlServer;

public static class SqlServerProvider
{
    public static void Configure(SqlServerDbContextOptionsBuilder sqlServer) =>
        sqlServer.MigrationsAssembly(typeof(SqlServerProvider).Assembly.GetName().Name);

    public static DbContextOptionsBuilder UseFlowRuntimeSqlServer(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, Configure);

    /// <summary>The cluster-wide lock for hosts sharing this SQL Server database (<c>sp_getapplock</c>).</summary>
    public static IDatabaseLock CreateDatabaseLock(string connectionString) => new SqlServerDatabaseLock(connectionString);
}
