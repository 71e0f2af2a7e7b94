using FlowRuntime.MultiHost.Tests.Infrastructure;
using FlowRuntime.Persistence.Locking;
using Microsoft.EntityFrameworkCore;
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
            try
            {
                await Task.Delay(5, ct);
            }
            finally
            {
                Interlocked.Decrement(ref inside);
            }
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

    [Fact]
    public async Task RunAsync_HolderSessionKilled_HolderNoticesAndTheLeaseIsTakenAgain()
    {
        var name = "test-" + Guid.NewGuid();
        var runs = new int[2];
        var inside = 0;
        var overlapped = false;
        var acquisitions = 0;
        using var stop = new CancellationTokenSource();

        Task Run(int host) => new ClusterLease(new CountingLock((host == 0 ? hosts.A : hosts.B).Services.GetRequiredService<IDatabaseLock>(), () => Interlocked.Increment(ref acquisitions)),
            TimeProvider.System, NullLogger<ClusterLease>.Instance).RunAsync(name, Period, async ct =>
        {
            overlapped |= Interlocked.Increment(ref inside) > 1;
            Interlocked.Increment(ref runs[host]);
            await Task.Delay(5, CancellationToken.None);
            Interlocked.Decrement(ref inside);
        }, stop.Token, retryInterval: TimeSpan.FromMilliseconds(50));

        // Host A takes the lease first, then host B starts trying.
        var a = Run(0);
        await WaitUntil(() => Volatile.Read(ref runs[0]) > 3);
        var b = Run(1);
        await Task.Delay(200);
        Assert.Equal(1, Volatile.Read(ref acquisitions));

        // Host A's lease session dies (network cut, server-side kill): the server drops its advisory lock at once.
        await using (var scope = hosts.A.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Persistence.FlowRuntimeDbContext>();
            var killed = await db.Database.SqlQueryRaw<bool>(
                "SELECT pg_terminate_backend(l.pid) AS \"Value\" FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid " +
                "WHERE l.locktype = 'advisory' AND s.application_name = 'host-a' AND s.datname = current_database()").ToListAsync();
            Assert.NotEmpty(killed);
        }

        // Host A notices and stops; the lease is acquired again (by B, or by A once more) and never runs on both at once.
        await WaitUntil(() => Volatile.Read(ref acquisitions) >= 2);
        var total = Volatile.Read(ref runs[0]) + Volatile.Read(ref runs[1]);
        await WaitUntil(() => Volatile.Read(ref runs[0]) + Volatile.Read(ref runs[1]) > total + 10);
        await stop.CancelAsync();
        await Task.WhenAll(a, b);
        Assert.False(overlapped, "the job ran on both hosts at once");
    }

    /// <summary>Counts the successful acquisitions of a lock.</summary>
    private sealed class CountingLock(IDatabaseLock inner, Action acquired) : IDatabaseLock
    {
        public async Task<IAsyncDisposable?> TryAcquireAsync(string name, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var handle = await inner.TryAcquireAsync(name, timeout, cancellationToken);
            if (handle is not null)
            {
                acquired();
            }

            return handle;
        }
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
