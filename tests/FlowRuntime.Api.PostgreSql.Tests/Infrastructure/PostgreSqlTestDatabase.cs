using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace FlowRuntime.Api.Tests.Infrastructure;

/// <summary>
/// One database per test data folder on the cluster named by <c>FLOWRUNTIME_TEST_POSTGRES</c>: tests stay
/// independent, and factories sharing a folder (a restart, two hosts) share the database.
/// </summary>
public static class PostgreSqlTestDatabase
{
    public const string ServerVariable = "FLOWRUNTIME_TEST_POSTGRES";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Databases = new(StringComparer.Ordinal);

    /// <summary>The server connection string; fails the test (never skips it) when the variable is missing.</summary>
    public static string Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException(
            $"{ServerVariable} is not set, so the PostgreSQL tests cannot run. Use `bash tests/run.sh` (it starts a private " +
            $"PostgreSQL cluster), or `source tests/postgres.sh; start_postgres` in the shell that runs `dotnet test`.");

    /// <summary>The connection string of the database for <paramref name="dataPath"/>, created on first use.</summary>
    public static string For(string dataPath) =>
        Databases.GetOrAdd(dataPath, path => new Lazy<string>(() => Create(path))).Value;

    private static string Create(string dataPath)
    {
        var server = Server;
        var name = "flowruntime_test_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataPath)))[..16];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if (exists.ExecuteScalar() is null)
            {
                // The name is hex we made; identifiers cannot be parameters.
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                create.ExecuteNonQuery();
            }
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
