using System.Diagnostics;
using FlowRuntime.Api.Tests.Flows;
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.MultiHost.Tests.Infrastructure;
using FlowRuntime.Persistence.Locking;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FlowRuntime.MultiHost.Tests.Locking;

/// <summary>Timings run alone, so the other tests' load does not blur them.</summary>
[CollectionDefinition(nameof(Measurements), DisableParallelization = true)]
public sealed class Measurements;

[Collection(nameof(Measurements))]
public sealed class DatabaseLockCostTests(TwoHosts hosts, ITestOutputHelper output) : IClassFixture<TwoHosts>
{
    private readonly IDatabaseLock _lock = hosts.A.Services.GetRequiredService<IDatabaseLock>();

    [Fact]
    public async Task TryAcquire_Cost_IsSmallNextToAMessage()
    {
        // What the per-conversation lock adds to each message: one uncontended acquire + release.
        const int rounds = 300;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            await using var held = await _lock.TryAcquireAsync("test:cost:" + i, TimeSpan.FromSeconds(5), default);
            Assert.NotNull(held);
        }

        var perLock = watch.Elapsed / rounds;

        // For scale: a whole message (which includes that lock) that starts a flow and suspends it.
        await hosts.ClientA.PublishFlowAsync(SampleFlows.AskName);
        await hosts.ClientA.SendMessageAsync("web", "cost-warmup", "hi", new { id = "0" });
        watch.Restart();
        for (var i = 0; i < 100; i++)
        {
            await hosts.ClientA.SendMessageAsync("web", "cost-" + i, "hi", new { id = "1" });
        }

        var perMessage = watch.Elapsed / 100;
        output.WriteLine($"uncontended PostgreSQL advisory lock acquire+release: {perLock.TotalMilliseconds:F2} ms; whole message: {perMessage.TotalMilliseconds:F2} ms");
        Assert.True(perLock < TimeSpan.FromMilliseconds(50), $"acquire+release took {perLock.TotalMilliseconds:F1} ms");
    }
}
