using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Locking;
using FlowRuntime.Persistence.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FlowRuntime.Host.Infrastructure;

internal static class DatabaseSetup
{
    /// <summary>Registers the DbContext for the configured provider and Data Protection with keys in the database.</summary>
    public static IServiceCollection AddFlowRuntimeDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(FlowRuntimeOptions.Section).Get<FlowRuntimeOptions>() ?? new FlowRuntimeOptions();
        var connectionString = configuration.GetConnectionString("FlowRuntime");
        switch (options.DatabaseProvider.ToLowerInvariant())
        {
            case "sqlite":
                connectionString = SqliteConnectionString(connectionString, options, environment);
                services.AddDbContextPool<FlowRuntimeDbContext>(o => o.UseFlowRuntimeSqlite(connectionString));
                // An embedded database means one host: an in-process lock is exact.
                services.AddSingleton<IDatabaseLock, InProcessDatabaseLock>();
                break;
            default:
                throw new InvalidOperationException(
                    $"FlowRuntime:DatabaseProvider '{options.DatabaseProvider}' is not supported. Use Sqlite, PostgreSql or SqlServer.");
        }

        services.AddDataProtection().SetApplicationName("FlowRuntime").PersistKeysToDbContext<FlowRuntimeDbContext>();
        return services;
    }

    /// <summary>Creates or upgrades the schema. SQLite (embedded) does it at start; shared databases use the documented command.</summary>
    public static async Task MigrateAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits: concurrent conversations don't block each other.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    private static string SqliteConnectionString(string? configured, FlowRuntimeOptions options, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? "Data Source=" + Path.Combine(options.DataPath, "flowruntime.db"));
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(environment.ContentRootPath, builder.DataSource));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        builder.DefaultTimeout = 30; // seconds to wait on a locked database before failing
        return builder.ToString();
    }
}
