using System.Data.Common;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace FlowRuntime.Persistence;

/// <summary>
/// The lookup every message starts with: the conversation's suspended instance, if any, read without EF's query
/// pipeline. On SQLite it runs on a plain connection of the same pool: EF registers a dozen SQL functions on every
/// open of its own connection and removes them on every close, which cost more than the query itself. The SQL comes
/// from the EF model (names, quoting), so it follows the schema the migrations create.
/// </summary>
public sealed class WaitingInstanceQuery
{
    private readonly string _sql;
    private readonly string _channelParameter;
    private readonly string _conversationParameter;
    private readonly string _statusParameter;
    private readonly RelationalTypeMapping _channelMapping;
    private readonly RelationalTypeMapping _conversationMapping;
    private readonly RelationalTypeMapping _statusMapping;

    // SQLite: a plain connection from the same pool skips EF's per-open function registration. Other providers' EF
    // connections are cheap to open, and using them keeps one connection pool per host. Null: use EF's connection.
    private readonly DbProviderFactory? _plainConnections;
    private readonly string? _connectionString;

    public WaitingInstanceQuery(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(FlowInstanceEntity))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        if (db.Database.ProviderName == SqliteProviderName)
        {
            _plainConnections = DbProviderFactories.GetFactory(db.Database.GetDbConnection());
            _connectionString = db.Database.GetConnectionString();
        }

        IProperty Property(string name) => entity.FindProperty(name)!;
        string Column(string name) => sql.DelimitIdentifier(Property(name).GetColumnName(table)!);

        _channelParameter = sql.GenerateParameterName("channel");
        _conversationParameter = sql.GenerateParameterName("conversation");
        _statusParameter = sql.GenerateParameterName("status");
        _channelMapping = Property(nameof(FlowInstanceEntity.Channel)).GetRelationalTypeMapping();
        _conversationMapping = Property(nameof(FlowInstanceEntity.ConversationId)).GetRelationalTypeMapping();
        _statusMapping = Property(nameof(FlowInstanceEntity.Status)).GetRelationalTypeMapping();
        // No LIMIT/TOP (their syntax differs by database): a conversation has at most one suspended instance, and
        // the reader stops after the first row anyway.
        _sql = $"SELECT {string.Join(", ", Columns.Select(Column))} FROM {sql.DelimitIdentifier(table.Name, table.Schema)} " +
               $"WHERE {Column(nameof(FlowInstanceEntity.Channel))} = {sql.GenerateParameterNamePlaceholder("channel")} " +
               $"AND {Column(nameof(FlowInstanceEntity.ConversationId))} = {sql.GenerateParameterNamePlaceholder("conversation")} " +
               $"AND {Column(nameof(FlowInstanceEntity.Status))} = {sql.GenerateParameterNamePlaceholder("status")} " +
               $"ORDER BY {Column(nameof(FlowInstanceEntity.UpdatedAt))} DESC";
    }

    /// <summary>The columns read, in ordinal order (see <see cref="Read"/>).</summary>
    private static readonly string[] Columns =
    [
        nameof(FlowInstanceEntity.Id), nameof(FlowInstanceEntity.FlowId), nameof(FlowInstanceEntity.Version),
        nameof(FlowInstanceEntity.Channel), nameof(FlowInstanceEntity.ConversationId), nameof(FlowInstanceEntity.Status),
        nameof(FlowInstanceEntity.Bookmark), nameof(FlowInstanceEntity.StateJson), nameof(FlowInstanceEntity.CreatedAt),
        nameof(FlowInstanceEntity.UpdatedAt), nameof(FlowInstanceEntity.Revision),
    ];

    public async Task<FlowInstanceEntity?> FindAsync(DbContext db, string channel, string conversationId, string status, CancellationToken cancellationToken)
    {
        var plain = _plainConnections?.CreateConnection();
        var connection = plain ?? db.Database.GetDbConnection();
        try
        {
            if (plain is not null)
            {
                plain.ConnectionString = _connectionString;
                await connection.OpenAsync(cancellationToken);
            }
            else
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
            }

            await using var command = connection.CreateCommand();
            command.CommandText = _sql;
            command.Parameters.Add(_channelMapping.CreateParameter(command, _channelParameter, channel));
            command.Parameters.Add(_conversationMapping.CreateParameter(command, _conversationParameter, conversationId));
            command.Parameters.Add(_statusMapping.CreateParameter(command, _statusParameter, status));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }
        finally
        {
            if (plain is not null)
            {
                await plain.DisposeAsync();
            }
            else
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private const string SqliteProviderName = "Microsoft.EntityFrameworkCore.Sqlite";

    private static FlowInstanceEntity Read(DbDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        FlowId = reader.GetString(1),
        Version = reader.GetInt32(2),
        Channel = reader.IsDBNull(3) ? null : reader.GetString(3),
        ConversationId = reader.IsDBNull(4) ? null : reader.GetString(4),
        Status = reader.GetString(5),
        Bookmark = reader.IsDBNull(6) ? null : reader.GetString(6),
        StateJson = reader.GetString(7),
        CreatedAt = reader.GetDateTime(8),
        UpdatedAt = reader.GetDateTime(9),
        Revision = reader.GetInt32(10),
    };
}
