using FlowRuntime.Host.Retention;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Locking;
using FlowRuntime.Persistence.PostgreSql;
using FlowRuntime.Persistence.SqlServer;
using FlowRuntime.Persistence.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FlowRuntime.Host.Infrastructure;

/// <summary>
/// The database provider switch (<c>FlowRuntime:DatabaseProvider</c> = Sqlite | PostgreSql | SqlServer,
/// <c>ConnectionStrings:FlowRuntime</c>), the matching cluster-wide <see cref="IDatabaseLock"/>, and the schema:
/// the embedded SQLite database migrates at start; shared databases are migrated by the <c>migrate</c> command
/// (or <c>FlowRuntime:MigrateOnStart=true</c>), so a fleet of hosts does not race to upgrade one schema.
/// </summary>
internal static class DatabaseSetup
{
    /// <summary>The host command that migrates the configured database and exits: <c>dotnet run --project runtime/FlowRuntime.Host -- migrate</c>.</summary>
    public const string MigrateCommand = "migrate";

    private const string ConnectionStringKey = "ConnectionStrings:FlowRuntime";

    /// <summary>Registers the DbContext for the configured provider, its lock, and Data Protection with keys in the database.</summary>
    public static IServiceCollection AddFlowRuntimeDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(FlowRuntimeOptions.Section).Get<FlowRuntimeOptions>() ?? new FlowRuntimeOptions();
        var connectionString = configuration.GetConnectionString("FlowRuntime");
        switch (Provider(options.DatabaseProvider))
        {
            case DatabaseProvider.Sqlite:
                connectionString = SqliteConnectionString(connectionString, options, environment);
                services.AddDbContextPool<FlowRuntimeDbContext>(o => o.UseFlowRuntimeSqlite(connectionString));
                // An embedded database means one host: an in-process lock is exact.
                services.AddSingleton<IDatabaseLock, InProcessDatabaseLock>();
                services.AddSingleton(new DatabaseWriteGate(serializeWrites: true));
                services.AddHostedService<SqliteCheckpointer>();
                break;
            case DatabaseProvider.PostgreSql:
                connectionString = Validated(connectionString, options.DatabaseProvider, "Host=db;Database=flowruntime;Username=flowruntime;Password=...",
                    s => _ = new NpgsqlConnectionStringBuilder(s));
                services.AddDbContextPool<FlowRuntimeDbContext>(o => o.UseFlowRuntimePostgreSql(connectionString));
                services.AddSingleton(PostgreSqlProvider.CreateDatabaseLock(connectionString));
                services.AddSingleton(new DatabaseWriteGate(serializeWrites: false));
                break;
            case DatabaseProvider.SqlServer:
                connectionString = Validated(connectionString, options.DatabaseProvider, "Server=db;Database=flowruntime;User Id=flowruntime;Password=...;TrustServerCertificate=true",
                    s => _ = new SqlConnectionStringBuilder(s));
                services.AddDbContextPool<FlowRuntimeDbContext>(o => o.UseFlowRuntimeSqlServer(connectionString));
                services.AddSingleton(SqlServerProvider.CreateDatabaseLock(connectionString));
                services.AddSingleton(new DatabaseWriteGate(serializeWrites: false));
                break;
        }

        services.AddSingleton<ClusterLease>();
        services.AddInstanceRetention();
        services.AddDataProtection().SetApplicationName("FlowRuntime").PersistKeysToDbContext<FlowRuntimeDbContext>();
        return services;
    }

    /// <summary>
    /// Migrates at start when <c>FlowRuntime:MigrateOnStart</c> says so (default: only for SQLite); otherwise checks
    /// that the shared database is reachable and up to date, and stops the host with the command to run if not.
    /// </summary>
    public static async Task MigrateOnStartAsync(this WebApplication app)
    {
        var provider = Provider(app.Configuration[$"{FlowRuntimeOptions.Section}:{nameof(FlowRuntimeOptions.DatabaseProvider)}"] ?? nameof(DatabaseProvider.Sqlite));
        var migrateOnStart = app.Configuration.GetValue<bool?>($"{FlowRuntimeOptions.Section}:{nameof(FlowRuntimeOptions.MigrateOnStart)}")
            ?? provider == DatabaseProvider.Sqlite;
        if (migrateOnStart)
        {
            await app.MigrateDatabaseAsync();
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        IReadOnlyList<string> pending;
        try
        {
            pending = [.. await db.Database.GetPendingMigrationsAsync()];
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"Cannot reach the {provider} database ({ConnectionStringKey}): {e.Message}", e);
        }

        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The {provider} database schema is not up to date ({pending.Count} pending migration(s): {string.Join(", ", pending)}). " +
                $"Run `dotnet run --project runtime/FlowRuntime.Host -- {MigrateCommand}` with the same configuration once, " +
                $"or set {FlowRuntimeOptions.Section}:{nameof(FlowRuntimeOptions.MigrateOnStart)}=true on one host.");
        }
    }

    /// <summary>Creates or upgrades the schema of the configured database (the <c>migrate</c> command and migrate-on-start).</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        // EF Core takes a database-wide migration lock, so hosts starting together apply each migration once.
        await db.Database.MigrateAsync();
        app.Logger.LogInformation("Database schema is current ({Provider}); applied {Count} migration(s): {Migrations}",
            db.Database.ProviderName, pending.Count, string.Join(", ", pending));
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while one writer commits: concurrent conversations don't block each other.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    private enum DatabaseProvider
    {
        Sqlite,
        PostgreSql,
        SqlServer,
    }

    private static DatabaseProvider Provider(string configured) =>
        Enum.TryParse<DatabaseProvider>(configured, ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException(
                $"{FlowRuntimeOptions.Section}:{nameof(FlowRuntimeOptions.DatabaseProvider)} '{configured}' is not supported. Use Sqlite, PostgreSql or SqlServer.");

    private static string Validated(string? connectionString, string provider, string example, Action<string> parse)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{ConnectionStringKey} is required when {FlowRuntimeOptions.Section}:{nameof(FlowRuntimeOptions.DatabaseProvider)} is {provider} " +
                $"(e.g. \"{example}\"; environment variable ConnectionStrings__FlowRuntime).");
        }

        try
        {
            parse(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The message names the bad keyword; the connection string itself may hold a password, so it is not echoed.
            throw new InvalidOperationException($"{ConnectionStringKey} is not a valid {provider} connection string: {e.Message}", e);
        }

        return connectionString;
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
