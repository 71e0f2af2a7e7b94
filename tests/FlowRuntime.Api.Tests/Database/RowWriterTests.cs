using System.Data.Common;
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Api.Tests.Database;

/// <summary>The hot-path writer bypasses EF's change tracker: what it writes must read back through EF exactly.</summary>
public sealed class RowWriterTests : IDisposable
{
    private readonly FlowRuntimeFactory _factory = new(FlowRuntimeFactory.NewDataPath());

    public RowWriterTests() => _ = _factory.CreateClient(); // starts the host (and migrates)

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Insert_ReadsBackThroughEf_AsEfWouldHaveStoredIt()
    {
        var written = Instance(Guid.CreateVersion7(), revision: 1);
        var byEf = Instance(Guid.CreateVersion7(), revision: 1);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = Db(scope);
            var result = await new RowWriter<FlowInstanceEntity>(db, nameof(FlowInstanceEntity.Revision)).WriteAsync(db, [new(written)], default);
            Assert.Equal([true], result);
            db.FlowInstances.Add(byEf);
            await db.SaveChangesAsync();
        }

        await using var read = _factory.Services.CreateAsyncScope();
        var back = await Db(read).FlowInstances.AsNoTracking().SingleAsync(i => i.Id == written.Id);
        Assert.Equivalent(written, back, strict: true);
        // Same storage form as EF's own rows (e.g. a Guid as TEXT on SQLite), so EF queries keep matching both.
        var efForm = await StoredFormAsync(Db(read), byEf.Id);
        var writtenForm = await StoredFormAsync(Db(read), written.Id);
        Func<Guid, string> asStored = efForm.Contains(byEf.Id.ToString().ToUpperInvariant(), StringComparison.Ordinal) ? g => g.ToString().ToUpperInvariant() : g => g.ToString();
        Assert.Equal(efForm.Replace(asStored(byEf.Id), "<id>", StringComparison.Ordinal), writtenForm.Replace(asStored(written.Id), "<id>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_AppliesOnlyWhileTheConcurrencyTokenIsUnchanged()
    {
        var row = Instance(Guid.CreateVersion7(), revision: 1);
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = Db(scope);
        var writer = new RowWriter<FlowInstanceEntity>(db, nameof(FlowInstanceEntity.Revision));
        await writer.WriteAsync(db, [new(row)], default);

        var fresh = Instance(row.Id, revision: 2, status: "Completed");
        var stale = Instance(row.Id, revision: 2, status: "Faulted");
        var written = await writer.WriteAsync(db, [new(fresh, ExpectedToken: 1), new(stale, ExpectedToken: 1)], default);

        Assert.Equal([true, false], written);
        var stored = await db.FlowInstances.AsNoTracking().SingleAsync(i => i.Id == row.Id);
        Assert.Equal(("Completed", 2), (stored.Status, stored.Revision));
    }

    [Fact]
    public async Task Batch_WithOneRowBreakingAConstraint_WritesNothing()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = Db(scope);
        var before = await db.FlowInstances.CountAsync();
        var duplicate = Instance(Guid.CreateVersion7(), revision: 1);
        var writer = new RowWriter<FlowInstanceEntity>(db, nameof(FlowInstanceEntity.Revision));

        await Assert.ThrowsAnyAsync<DbException>(() => writer.WriteAsync(db, [new(Instance(Guid.CreateVersion7(), 1)), new(duplicate), new(duplicate)], default));

        Assert.Equal(before, await db.FlowInstances.CountAsync());
    }

    private static FlowRuntimeDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();

    private static FlowInstanceEntity Instance(Guid id, int revision, string status = "Suspended") => new()
    {
        Id = id,
        FlowId = "flow",
        Version = 3,
        Channel = "web",
        ConversationId = "c-1",
        Status = status,
        Bookmark = null,
        StateJson = """{"variables":{"name":"Zoë"}}""",
        CreatedAt = new DateTime(2026, 11, 23, 10, 0, 0, 123, DateTimeKind.Utc),
        UpdatedAt = new DateTime(2026, 11, 23, 10, 0, 1, 456, DateTimeKind.Utc),
        Revision = revision,
    };

    /// <summary>Every column as the database stores it, rendered as text.</summary>
    private static async Task<string> StoredFormAsync(FlowRuntimeDbContext db, Guid id)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
#if FLOWRUNTIME_POSTGRESQL
            command.CommandText = """SELECT row_to_json(i)::text FROM flow_instances i WHERE "Id" = @id""";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "id";
            parameter.Value = id;
#else
            command.CommandText = "SELECT typeof(Id) || ':' || Id || '|' || typeof(CreatedAt) || ':' || CreatedAt || '|' || typeof(Version) FROM flow_instances WHERE lower(Id) = lower($id)";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$id";
            parameter.Value = id.ToString();
#endif
            command.Parameters.Add(parameter);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
