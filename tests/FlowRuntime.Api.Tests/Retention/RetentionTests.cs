using FlowRuntime.Api.Tests.Flows;
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.Host.Retention;
using FlowRuntime.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FlowRuntime.Api.Tests.Retention;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunOnce_FinishedInstancePastRetention_IsDeleted_WaitingAndRecentKept()
    {
        var time = new FakeTimeProvider(Start);
        using var factory = Host(time, new() { ["FlowRuntime:Retention:Enabled"] = "false" });
        var client = factory.CreateManagementClient();
        await client.PublishFlowAsync(SampleFlows.AskName);
        await client.SendMessageAsync("web", "old-done", "hi", new { id = "1" });
        var oldDone = await client.SendMessageAsync("web", "old-done", "Ada");
        var oldWaiting = await client.SendMessageAsync("web", "old-waiting", "hi", new { id = "2" });

        time.Advance(TimeSpan.FromDays(29));
        await client.SendMessageAsync("web", "recent-done", "hi", new { id = "3" });
        var recentDone = await client.SendMessageAsync("web", "recent-done", "Bob");
        time.Advance(TimeSpan.FromDays(2));

        await using var scope = factory.Services.CreateAsyncScope();
        var deleted = await scope.ServiceProvider.GetRequiredService<InstanceRetentionJob>().RunOnceAsync(default);

        Assert.Equal(1, deleted);
        var remaining = await scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>().FlowInstances.Select(i => i.Id).ToListAsync();
        Assert.DoesNotContain(Id(oldDone), remaining);
        Assert.Contains(Id(oldWaiting), remaining);
        Assert.Contains(Id(recentDone), remaining);
    }

    [Fact]
    public async Task RunOnce_MoreThanOneBatch_DeletesAll()
    {
        var time = new FakeTimeProvider(Start);
        using var factory = Host(time, new() { ["FlowRuntime:Retention:Enabled"] = "false" });
        factory.CreateManagementClient();
        await using (var seed = factory.Services.CreateAsyncScope())
        {
            var db = seed.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
            db.FlowInstances.AddRange(Enumerable.Range(0, InstanceRetentionJob.BatchSize + 5).Select(n => new Persistence.Entities.FlowInstanceEntity
            {
                Id = Guid.CreateVersion7(),
                FlowId = "bulk",
                Status = n % 2 == 0 ? "Completed" : "Faulted",
                StateJson = "{}",
                CreatedAt = Start.UtcDateTime,
                UpdatedAt = Start.UtcDateTime,
            }));
            await db.SaveChangesAsync();
        }

        time.Advance(TimeSpan.FromDays(31));
        await using var scope = factory.Services.CreateAsyncScope();

        Assert.Equal(InstanceRetentionJob.BatchSize + 5, await scope.ServiceProvider.GetRequiredService<InstanceRetentionJob>().RunOnceAsync(default));
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>().FlowInstances.CountAsync());
    }

    [Fact]
    public async Task Service_HostHoldsRetentionLease_DeletesWhenTimeComes()
    {
        var time = new FakeTimeProvider(Start);
        using var factory = Host(time, new() { ["FlowRuntime:Retention:CompletedInstances"] = "1.00:00:00", ["FlowRuntime:Retention:Interval"] = "01:00:00" });
        var client = factory.CreateManagementClient();
        await client.PublishFlowAsync(SampleFlows.AskName);
        await client.SendMessageAsync("web", "done", "hi", new { id = "1" });
        var done = await client.SendMessageAsync("web", "done", "Ada");

        // The service sleeps on the fake clock; keep moving it until its next run has deleted the instance.
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>();
        var deadline = TimeProvider.System.GetTimestamp() + 20 * TimeProvider.System.TimestampFrequency;
        while (await db.FlowInstances.AnyAsync(i => i.Id == Id(done)))
        {
            Assert.True(TimeProvider.System.GetTimestamp() < deadline, "the retention service did not delete the expired instance");
            time.Advance(TimeSpan.FromHours(2));
            await Task.Delay(50);
        }
    }

    private static Guid Id(System.Text.Json.Nodes.JsonNode reply) => Guid.Parse(reply["instanceId"]!.GetValue<string>());

    private static TimedHost Host(FakeTimeProvider time, Dictionary<string, string?> settings) => new(time, settings);

    /// <summary>The host on a fake clock, so "31 days later" takes no time.</summary>
    private sealed class TimedHost(FakeTimeProvider time, Dictionary<string, string?> settings) : IDisposable
    {
        private readonly FlowRuntimeFactory _factory = new(FlowRuntimeFactory.NewDataPath(), settings);
        private WebApplicationFactory<Program>? _host;

        private WebApplicationFactory<Program> Factory =>
            _host ??= _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));

        public IServiceProvider Services => Factory.Services;

        public HttpClient CreateManagementClient()
        {
            var client = Factory.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", FlowRuntimeFactory.ApiKey);
            return client;
        }

        public void Dispose()
        {
            _host?.Dispose();
            _factory.Dispose();
        }
    }
}
