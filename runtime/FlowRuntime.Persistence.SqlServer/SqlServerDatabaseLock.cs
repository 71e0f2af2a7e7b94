using System.Data;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using FlowRuntime.Persistence.Locking;
using Microsoft.Data.SqlClient;

namespace FlowRuntime.Persistence.SqlServer;

/// <summary>
/// SQL Server application locks (<c>sp_getapplock</c>, session owner) held on a dedicated connection: a host that
/// dies releases its locks with its session. Waiters of the same host queue in-process first, so one host
/// spends at most one connection per lock name.
/// </summary>
internal sealed class SqlServerDatabaseLock(string connectionString) : IDatabaseLock
{
    /// <summary>sp_getapplock's @Resource is nvarchar(255); longer names are hashed.</summary>
    private const int MaxResourceLength = 255;

    private readonly KeyedAsyncLock _local = new();

    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var local = await _local.TryAcquireAsync(name, timeout, cancellationToken);
        if (local is null)
        {
            return null;
        }

        SqlConnection? connection = null;
        try
        {
            var resource = Resource(name);
            connection = new SqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var remaining = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - Stopwatch.GetElapsedTime(started);
            var lockTimeoutMs = timeout == Timeout.InfiniteTimeSpan ? -1 : (int)Math.Clamp(remaining.TotalMilliseconds, 0, int.MaxValue);

            await using var command = connection.CreateCommand();
            command.CommandText = "sp_getapplock";
            command.CommandType = CommandType.StoredProcedure;
            command.CommandTimeout = lockTimeoutMs < 0 ? 0 : lockTimeoutMs / 1000 + 30;
            command.Parameters.Add(new SqlParameter("@Resource", SqlDbType.NVarChar, MaxResourceLength) { Value = resource });
            command.Parameters.Add(new SqlParameter("@LockMode", SqlDbType.VarChar, 32) { Value = "Exclusive" });
            command.Parameters.Add(new SqlParameter("@LockOwner", SqlDbType.VarChar, 32) { Value = "Session" });
            command.Parameters.Add(new SqlParameter("@LockTimeout", SqlDbType.Int) { Value = lockTimeoutMs });
            var result = command.Parameters.Add(new SqlParameter("@Result", SqlDbType.Int) { Direction = ParameterDirection.ReturnValue });
            await command.ExecuteNonQueryAsync(cancellationToken);

            // 0 = granted, 1 = granted after waiting, -1 = timed out; -2 (cancelled), -3 (deadlock victim), -999 are errors.
            var code = (int)result.Value;
            if (code >= 0)
            {
                var handle = new Handle(connection, resource, local);
                connection = null;
                return handle;
            }

            if (code != -1)
            {
                throw new InvalidOperationException($"sp_getapplock for '{name}' failed with code {code}.");
            }

            await local.DisposeAsync();
            return null;
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static string Resource(string name)
    {
        var resource = "flowruntime:" + name;
        return resource.Length <= MaxResourceLength
            ? resource
            : "flowruntime:sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
    }

    private sealed class Handle(SqlConnection connection, string resource, IAsyncDisposable local) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "sp_releaseapplock";
                command.CommandType = CommandType.StoredProcedure;
                command.Parameters.Add(new SqlParameter("@Resource", SqlDbType.NVarChar, MaxResourceLength) { Value = resource });
                command.Parameters.Add(new SqlParameter("@LockOwner", SqlDbType.VarChar, 32) { Value = "Session" });
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                // Closing returns the session to the pool; the pool's reset also drops session app locks.
                await connection.DisposeAsync();
                await local.DisposeAsync();
            }
        }
    }
}
