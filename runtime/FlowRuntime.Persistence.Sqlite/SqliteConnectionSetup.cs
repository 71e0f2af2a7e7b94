using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FlowRuntime.Persistence.Sqlite;

/// <summary>
/// In WAL mode, <c>synchronous=NORMAL</c> stays consistent after an application crash and only risks the
/// last commits on power loss, while saving an fsync per commit: the difference between a few hundred
/// and a few thousand conversation messages per second. It is a per-connection setting.
/// <c>wal_autocheckpoint=0</c>: no commit stops to checkpoint; the host checkpoints in the background
/// (<c>SqliteCheckpointer</c>), and SQLite checkpoints when the last connection closes. <c>journal_size_limit</c>:
/// when the log starts over, its file is cut back to 64 MB.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    // busy_timeout: SQLite waits for the write lock itself, in steps of a few milliseconds, instead of the
    // provider retrying a busy statement after a fixed 150 ms pause.
    private static readonly string Pragmas = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={SqliteProvider.BusyTimeoutMilliseconds}; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;";

    // Pooled native connections keep their settings, and every message opens one: set them once per native
    // connection (its handle), not on every open.
    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsSetup(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            MarkSetUp(connection);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsSetup(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            MarkSetUp(connection);
        }
    }

    private bool NeedsSetup(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || !_configured.TryGetValue(handle, out _);

    private void MarkSetUp(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _configured.TryAdd(handle, handle);
        }
    }
}
