using System.Diagnostics;
using FlowRuntime.Api.Tests.Flows;
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.MultiHost.Tests.Infrastructure;
using FlowRuntime.Persistence.Locking;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FlowRuntime.MultiHost.Tests.Locking;

public sealed class DatabaseLockAcrossHostsTests(TwoHosts hosts, ITestOutputHelper output) : IClassFixture<TwoHosts>
{
    private readonly IDatabaseLock _a = hosts.A.Services.GetRequiredService<IDatabaseLock>();
    private readonly IDatabaseLock _b = hosts.B.Services.GetRequiredService<IDatabaseLock>();

    [Fact]
    public void Hosts_OnPostgreSql_UseADatabaseLock()
    {
        Assert.IsNotType<InProcessDatabaseLock>(_a);
        Assert.NotSame(_a, _b);
    }

    [Fact]
    public async Task TryAcquire_TwoHostsContend_ExactlyOneHoldsAtATime()
    {
        var name = "test:contended:" + Guid.NewGuid();
        var inside = 0;
        var maxInside = 0;
        var acquisitions = 0;

        // 2 hosts x 10 workers x 10 rounds: every round waits for the lock, holds it briefly, releases it.
        var workers = new[] { _a, _b }.SelectMany(locks => Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                await using var held = await locks.TryAcquireAsync(name, TimeSpan.FromSeconds(60), default);
                Assert.NotNull(held);
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                await Task.Delay(2);
                Interlocked.Increment(ref acquisitions);
                Interlocked.Decrement(ref inside);
            }
        })));
        await Task.WhenAll(workers);

        Assert.Equal(1, maxInside);
        Assert.Equal(200, acquisitions);
    }

    [Fact]
    public async Task TryAcquire_HeldByOtherHost_ReturnsNullUntilReleased()
    {
        var name = "test:held:" + Guid.NewGuid();
        var held = await _a.TryAcquireAsync(name, TimeSpan.Zero, default);
        Assert.NotNull(held);

        Assert.Null(await _b.TryAcquireAsync(name, TimeSpan.Zero, default));
        Assert.Null(await _b.TryAcquireAsync(name, TimeSpan.FromMilliseconds(300), default));

        var waiting = _b.TryAcquireAsync(name, TimeSpan.FromSeconds(30), default);
        await held.DisposeAsync();
        await using var taken = await waiting;
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task TryAcquire_SameHostTwice_SecondWaits()
    {
        // Advisory locks are re-entrant per database session; a host must still not let two of its callers in.
        var name = "test:reentrant:" + Guid.NewGuid();
        await using var first = await _a.TryAcquireAsync(name, TimeSpan.Zero, default);
        Assert.NotNull(first);

        Assert.Null(await _a.TryAcquireAsync(name, TimeSpan.FromMilliseconds(200), default));
    }

    [Fact]
    public async Task TryAcquire_Cost_IsSmallNextToAMessage()
    {
        // What the per-conversation lock adds to each message: one uncontended acquire + release.
        const int rounds = 300;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            await using var held = await _a.TryAcquireAsync("test:cost:" + i, TimeSpan.FromSeconds(5), default);
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

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
