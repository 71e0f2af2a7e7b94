using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FlowRuntime.Persistence.Sqlite;

/// <summary>
/// In WAL mode, <c>synchronous=NORMAL</c> stays consistent after an application crash and only risks the
/// last commits on power loss, while saving an fsync per commit: the difference between a few hundred
/// and a few thousand conversation messages per second. It is a per-connection setting.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    // busy_timeout: SQLite waits for the write lock itself, in steps of a few milliseconds, instead of the
    // provider retrying a busy statement after a fixed 150 ms pause.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
