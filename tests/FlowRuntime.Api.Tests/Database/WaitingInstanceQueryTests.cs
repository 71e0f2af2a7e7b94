using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.Api.Tests.Database;

/// <summary>The per-message lookup runs outside EF: it must find what EF would and read it back identically.</summary>
public sealed class WaitingInstanceQueryTests : IDisposable
{
    private readonly FlowRuntimeFactory _factory = new(FlowRuntimeFactory.NewDataPath());

    public WaitingInstanceQueryTests() => _ = _factory.CreateClient(); // starts the host (and migrates)

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Find_ReturnsTheConversationsNewestSuspendedInstance_AsEfReadsIt()
    {
        var at = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);
        var older = Instance("c-1", "Suspended", at);
        var newest = Instance("c-1", "Suspended", at.AddSeconds(5), bookmark: "ask");
        var completed = Instance("c-1", "Completed", at.AddSeconds(9));
        var otherConversation = Instance("c-2", "Suspended", at.AddSeconds(9));
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        db.FlowInstances.AddRange(older, newest, completed, otherConversation);
        await db.SaveChangesAsync();
        var query = _factory.Services.GetRequiredService<WaitingInstanceQuery>();

        var found = await query.FindAsync(db, "web", "c-1", "Suspended", default);

        var expected = await db.FlowInstances.AsNoTracking().SingleAsync(i => i.Id == newest.Id);
        Assert.Equivalent(expected, found, strict: true);
        Assert.Null(await query.FindAsync(db, "web", "c-3", "Suspended", default));
        Assert.Null(await query.FindAsync(db, "sms", "c-1", "Suspended", default));
    }

    private static FlowInstanceEntity Instance(string conversationId, string status, DateTime updatedAt, string? bookmark = null) => new()
    {
        Id = Guid.CreateVersion7(),
        FlowId = "flow",
        Version = 2,
        Channel = "web",
        ConversationId = conversationId,
        Status = status,
        Bookmark = bookmark,
        StateJson = """{"variables":{}}""",
        CreatedAt = updatedAt.AddMinutes(-1),
        UpdatedAt = updatedAt,
        Revision = 4,
    };
}
