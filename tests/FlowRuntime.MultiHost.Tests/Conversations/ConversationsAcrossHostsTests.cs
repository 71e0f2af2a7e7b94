using System.Text.Json.Nodes;
using FlowRuntime.Api.Tests.Flows;
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.MultiHost.Tests.Infrastructure;
using FlowRuntime.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FlowRuntime.MultiHost.Tests.Conversations;

public sealed class ConversationsAcrossHostsTests : IClassFixture<TwoHosts>
{
    private const int Conversations = 100;
    private const string Question = "What is your name?";

    private readonly TwoHosts _hosts;

    public ConversationsAcrossHostsTests(TwoHosts hosts)
    {
        _hosts = hosts;
        PublishOnce(hosts).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task FirstMessages_SameConversationAtBothHostsAtOnce_StartOneInstanceThatTheOtherResumes()
    {
        // 200 messages at once: every new conversation gets its first message at host A and at host B together.
        // Neither host finds a waiting instance, and a new row has nothing to conflict on, so only the
        // conversation lock keeps the two from starting two instances.
        var gate = new TaskCompletionSource();
        var pairs = Enumerable.Range(0, Conversations).Select(n => $"start-{n}").Select(id => (Id: id,
            A: After(gate.Task, () => _hosts.ClientA.SendMessageAsync("web", id, "Ada", new { id })),
            B: After(gate.Task, () => _hosts.ClientB.SendMessageAsync("web", id, "Bob", new { id })))).ToList();
        gate.SetResult();
        await Task.WhenAll(pairs.SelectMany(p => new[] { p.A, p.B }));

        foreach (var (id, a, b) in pairs)
        {
            var replies = Replies(await a).Concat(Replies(await b)).ToList();
            // One message started the instance (asked), the other answered it; either order is fine.
            Assert.Single(replies, r => r == Question);
            Assert.Single(replies, r => r == $"Hello Ada (contact {id})" || r == $"Hello Bob (contact {id})");
            Assert.Equal((await a)["instanceId"]!.GetValue<string>(), (await b)["instanceId"]!.GetValue<string>());
        }

        var statuses = await StatusesAsync("start-");
        Assert.Equal(Conversations, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(["Completed"], s.Value));
    }

    [Fact]
    public async Task Answers_SameConversationAtBothHostsAtOnce_ResumeExactlyOnce_NoReplyLost()
    {
        var ids = Enumerable.Range(0, Conversations).Select(n => $"answer-{n}").ToList();
        // Each conversation asks its question on one host or the other.
        await Task.WhenAll(ids.Select((id, n) => (n % 2 == 0 ? _hosts.ClientA : _hosts.ClientB).SendMessageAsync("web", id, "hi", new { id })));

        // 200 answers at once: "Ada" at host A and "Bob" at host B for every waiting conversation.
        var gate = new TaskCompletionSource();
        var pairs = ids.Select(id => (Id: id,
            A: After(gate.Task, () => _hosts.ClientA.SendMessageAsync("web", id, "Ada")),
            B: After(gate.Task, () => _hosts.ClientB.SendMessageAsync("web", id, "Bob")))).ToList();
        gate.SetResult();
        await Task.WhenAll(pairs.SelectMany(p => new[] { p.A, p.B }));

        foreach (var (id, a, b) in pairs)
        {
            // Exactly one answer resumed the waiting instance; the other waited for it and then started a new run,
            // which asks again. Both got their reply.
            var replies = Replies(await a).Concat(Replies(await b)).ToList();
            Assert.Single(replies, r => r == $"Hello Ada (contact {id})" || r == $"Hello Bob (contact {id})");
            Assert.Single(replies, r => r == Question);
            Assert.Equal(2, replies.Count);
            Assert.All(new[] { await a, await b }, r => Assert.Null(r["error"]));
        }

        var statuses = await StatusesAsync("answer-");
        Assert.Equal(Conversations, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(["Completed", "Suspended"], s.Value));
    }

    private static async Task<JsonNode> After(Task gate, Func<Task<JsonNode>> send)
    {
        await gate;
        return await send();
    }

    private static IEnumerable<string> Replies(JsonNode reply) => reply["replies"]!.AsArray().Select(r => r!.GetValue<string>());

    /// <summary>The statuses of each conversation's instances, sorted, read straight from the shared database.</summary>
    private async Task<Dictionary<string, List<string>>> StatusesAsync(string prefix)
    {
        await using var scope = _hosts.A.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>().FlowInstances.AsNoTracking()
            .Where(i => i.ConversationId!.StartsWith(prefix))
            .Select(i => new { i.ConversationId, i.Status })
            .ToListAsync();
        return rows.GroupBy(r => r.ConversationId!).ToDictionary(g => g.Key, g => g.Select(r => r.Status).Order(StringComparer.Ordinal).ToList());
    }

    private static readonly SemaphoreSlim PublishLock = new(1, 1);

    private static async Task PublishOnce(TwoHosts hosts)
    {
        await PublishLock.WaitAsync();
        try
        {
            var existing = await hosts.ClientA.GetAsync("/api/flows/ask-name");
            if (!existing.IsSuccessStatusCode)
            {
                await hosts.ClientA.PublishFlowAsync(SampleFlows.AskName);
            }
        }
        finally
        {
            PublishLock.Release();
        }
    }
}
