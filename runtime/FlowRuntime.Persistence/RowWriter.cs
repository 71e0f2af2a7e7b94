using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace FlowRuntime.Persistence;

/// <summary>One row to write: an insert, or an update that only applies while the concurrency token still has <see cref="ExpectedToken"/>.</summary>
public readonly record struct RowWrite<TEntity>(TEntity Row, object? ExpectedToken = null)
{
    public bool IsUpdate => ExpectedToken is not null;
}

/// <summary>
/// Inserts and optimistic updates of one entity type, many rows per transaction, without EF's change tracker and
/// per-row SQL generation. The per-message writes (instances, connection log) are the database's hottest path: EF
/// spent more there than the database did. Table, columns, quoting and value conversions (e.g. a Guid stored as
/// TEXT in SQLite) all come from the EF model, so rows read back through EF exactly as if EF had written them.
/// </summary>
public sealed class RowWriter<TEntity> where TEntity : class
{
    private readonly IProperty[] _insertColumns;
    private readonly IProperty[] _updateColumns;
    private readonly IProperty[] _keys;
    private readonly IProperty? _token;
    private readonly string _insertSql;
    private readonly string? _updateSql;
    private readonly string[] _valueNames;
    private readonly string[] _whereNames;

    /// <param name="concurrencyToken">The property an update checks (and sets); null for insert-only writers.</param>
    public RowWriter(DbContext db, string? concurrencyToken = null)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName(table)!);

        // Store-generated columns (an identity key) are left to the database. EF generates Guid keys on the client.
        _insertColumns = [.. entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never || p.ClrType == typeof(Guid))];
        _keys = [.. entity.FindPrimaryKey()!.Properties];
        _token = concurrencyToken is null ? null : entity.FindProperty(concurrencyToken) ?? throw new InvalidOperationException($"{concurrencyToken} is not a property of {typeof(TEntity).Name}.");
        _updateColumns = [.. _insertColumns.Where(p => !p.IsPrimaryKey())];

        _valueNames = [.. _insertColumns.Select((_, i) => sql.GenerateParameterName($"p{i}"))];
        _whereNames = [.. _keys.Append(_token).Select((_, i) => sql.GenerateParameterName($"w{i}"))];
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        _insertSql = $"INSERT INTO {tableName} ({string.Join(", ", _insertColumns.Select(Column))}) " +
                     $"VALUES ({string.Join(", ", _insertColumns.Select((_, i) => sql.GenerateParameterNamePlaceholder($"p{i}")))})";
        if (_token is not null)
        {
            var set = string.Join(", ", _updateColumns.Select((p, i) => $"{Column(p)} = {sql.GenerateParameterNamePlaceholder($"p{i}")}"));
            var where = string.Join(" AND ", _keys.Append(_token).Select((p, i) => $"{Column(p)} = {sql.GenerateParameterNamePlaceholder($"w{i}")}"));
            _updateSql = $"UPDATE {tableName} SET {set} WHERE {where}";
        }
    }

    /// <summary>
    /// Writes the rows in one transaction on the context's connection. Returns, per row, whether it was written:
    /// false for an update whose concurrency token changed. A database error rolls the whole batch back and throws.
    /// </summary>
    public async Task<bool[]> WriteAsync(DbContext db, IReadOnlyList<RowWrite<TEntity>> rows, CancellationToken cancellationToken)
    {
        var written = new bool[rows.Count];
        if (rows.Count == 0)
        {
            return written;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (connection.CanCreateBatch)
            {
                await WriteBatchAsync(connection, transaction, rows, written, cancellationToken);
            }
            else
            {
                await WritePreparedAsync(connection, transaction, rows, written, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return written;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // PostgreSQL and SQL Server: every statement in one round trip.
    private async Task WriteBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<RowWrite<TEntity>> rows, bool[] written, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        await using var parameterSource = connection.CreateCommand();
        foreach (var write in rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = write.IsUpdate ? UpdateSql : _insertSql;
            foreach (var parameter in Parameters(parameterSource, write))
            {
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            written[i] = batch.BatchCommands[i].RecordsAffected == 1;
        }
    }

    // SQLite (no batches, no round trips): each statement is prepared once and re-run with new values.
    private async Task WritePreparedAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<RowWrite<TEntity>> rows, bool[] written, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        await using var update = connection.CreateCommand();
        insert.Transaction = update.Transaction = transaction;
        insert.CommandText = _insertSql;
        update.CommandText = _updateSql ?? "";
        for (var i = 0; i < rows.Count; i++)
        {
            var command = rows[i].IsUpdate ? update : insert;
            command.Parameters.Clear();
            command.Parameters.AddRange(Parameters(command, rows[i]));
            written[i] = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
    }

    private string UpdateSql => _updateSql ?? throw new InvalidOperationException($"This writer of {typeof(TEntity).Name} has no concurrency token: it only inserts.");

    private DbParameter[] Parameters(DbCommand factory, RowWrite<TEntity> write)
    {
        var columns = write.IsUpdate ? _updateColumns : _insertColumns;
        var parameters = new DbParameter[columns.Length + (write.IsUpdate ? _whereNames.Length : 0)];
        for (var i = 0; i < columns.Length; i++)
        {
            parameters[i] = Parameter(factory, _valueNames[i], columns[i], columns[i].GetGetter().GetClrValueUsingContainingEntity(write.Row));
        }

        if (write.IsUpdate)
        {
            for (var i = 0; i < _keys.Length; i++)
            {
                parameters[columns.Length + i] = Parameter(factory, _whereNames[i], _keys[i], _keys[i].GetGetter().GetClrValueUsingContainingEntity(write.Row));
            }

            parameters[^1] = Parameter(factory, _whereNames[^1], _token!, write.ExpectedToken);
        }

        return parameters;
    }

    // The EF type mapping converts and types the value as EF would (Guid → TEXT on SQLite, DateTime kinds, sizes).
    private static DbParameter Parameter(DbCommand factory, string name, IProperty property, object? value) =>
        property.GetRelationalTypeMapping().CreateParameter(factory, name, value, property.IsNullable);
}
