using FlowRuntime.MultiHost.Tests.Infrastructure;
using FlowRuntime.Persistence.Locking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlowRuntime.MultiHost.Tests.Locking;

public sealed class ClusterLeaseAcrossHostsTests(TwoHosts hosts) : IClassFixture<TwoHosts>
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task RunAsync_TwoHosts_OnlyTheHolderRuns_TheOtherTakesOverWhenItStops()
    {
        var name = "test-" + Guid.NewGuid();
        var runs = new int[2];
        var inside = 0;
        var overlapped = false;
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();

        Task Run(int host, CancellationToken stop) => Lease(host == 0 ? hosts.A : hosts.B).RunAsync(name, Period, async ct =>
        {
            overlapped |= Interlocked.Increment(ref inside) > 1;
            Interlocked.Increment(ref runs[host]);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref inside);
        }, stop, retryInterval: TimeSpan.FromMilliseconds(50));

        var a = Run(0, stopA.Token);
        var b = Run(1, stopB.Token);
        await WaitUntil(() => Volatile.Read(ref runs[0]) + Volatile.Read(ref runs[1]) >= 20);
        await Task.Delay(300);

        // One host has run the job every period; the other has only been trying to take the lease.
        var holder = runs[0] > 0 ? 0 : 1;
        Assert.Equal(0, Volatile.Read(ref runs[1 - holder]));

        // The holder stops (host shutdown): the other host takes over within its retry interval.
        await (holder == 0 ? stopA : stopB).CancelAsync();
        await (holder == 0 ? a : b);
        var before = runs[1 - holder];
        await WaitUntil(() => Volatile.Read(ref runs[1 - holder]) > before + 3);

        await (holder == 0 ? stopB : stopA).CancelAsync();
        await Task.WhenAll(a, b);
        Assert.False(overlapped, "the job ran on both hosts at once");
    }

    private static ClusterLease Lease(Api.Tests.Infrastructure.FlowRuntimeFactory host) =>
        new(host.Services.GetRequiredService<IDatabaseLock>(), TimeProvider.System, NullLogger<ClusterLease>.Instance);

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
