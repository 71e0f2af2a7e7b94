using FlowRuntime.Persistence.Locking;
using Microsoft.EntityFrameworkCore;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace FlowRuntime.Persistence.PostgreSql;

public static class PostgreSqlProvider
{
    public static void Configure(NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.MigrationsAssembly(typeof(PostgreSqlProvider).Assembly.GetName().Name);

    public static DbContextOptionsBuilder UseFlowRuntimePostgreSql(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, Configure);

    /// <summary>The cluster-wide lock for hosts sharing this PostgreSQL database (advisory locks).</summary>
    public static IDatabaseLock CreateDatabaseLock(string connectionString) => new PostgreSqlDatabaseLock(connectionString);
}
