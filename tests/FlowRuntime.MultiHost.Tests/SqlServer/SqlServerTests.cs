using FlowRuntime.Api.Tests.Flows;
using FlowRuntime.Api.Tests.Infrastructure;
using FlowRuntime.Persistence.Locking;
using FlowRuntime.Persistence.SqlServer;
using Microsoft.Data.SqlClient;

namespace FlowRuntime.MultiHost.Tests.SqlServer;

/// <summary>Runs only when <c>FLOWRUNTIME_TEST_SQLSERVER</c> names a server (there is none in CI); skipped otherwise.</summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string ServerVariable = "FLOWRUNTIME_TEST_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ServerVariable)))
        {
            Skip = $"{ServerVariable} is not set (no SQL Server available).";
        }
    }
}

public sealed class SqlServerTests
{
    [SqlServerFact]
    public async Task DatabaseLock_TwoHostsContend_ExactlyOneHoldsAtATime()
    {
        var database = CreateDatabase();
        IDatabaseLock[] hosts = [SqlServerProvider.CreateDatabaseLock(database), SqlServerProvider.CreateDatabaseLock(database)];
        var name = "test:contended:" + Guid.NewGuid();
        var inside = 0;
        var overlapped = false;

        await Task.WhenAll(hosts.SelectMany(locks => Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                await using var held = await locks.TryAcquireAsync(name, TimeSpan.FromSeconds(60), default);
                Assert.NotNull(held);
                overlapped |= Interlocked.Increment(ref inside) > 1;
                await Task.Delay(2);
                Interlocked.Decrement(ref inside);
            }
        }))));

        Assert.False(overlapped);
        await using var first = await hosts[0].TryAcquireAsync(name, TimeSpan.Zero, default);
        Assert.NotNull(first);
        Assert.Null(await hosts[1].TryAcquireAsync(name, TimeSpan.FromMilliseconds(200), default));
    }

    [SqlServerFact]
    public async Task TwoHosts_AnswersAtBothHostsAtOnce_ResumeExactlyOnce()
    {
        var dataPath = FlowRuntimeFactory.NewDataPath();
        var database = CreateDatabase();
        using var a = Host(dataPath, database, "host-a");
        using var b = Host(dataPath, database, "host-b");
        var clientA = a.CreateManagementClient();
        var clientB = b.CreateManagementClient();
        await clientA.PublishFlowAsync(SampleFlows.AskName);

        var ids = Enumerable.Range(0, 50).Select(n => $"c{n}").ToList();
        await Task.WhenAll(ids.Select(id => clientA.SendMessageAsync("web", id, "hi", new { id })));
        var replies = await Task.WhenAll(ids.SelectMany(id => new[] { clientA.SendMessageAsync("web", id, "Ada"), clientB.SendMessageAsync("web", id, "Bob") }));

        var all = replies.SelectMany(r => r["replies"]!.AsArray().Select(x => x!.GetValue<string>())).ToList();
        Assert.Equal(ids.Count, all.Count(r => r.StartsWith("Hello ", StringComparison.Ordinal)));
        Assert.Equal(ids.Count, all.Count(r => r == "What is your name?"));
    }

    private static FlowRuntimeFactory Host(string dataPath, string database, string name) =>
        new(dataPath, new Dictionary<string, string?>
        {
            ["FlowRuntime:DatabaseProvider"] = "SqlServer",
            ["ConnectionStrings:FlowRuntime"] = new SqlConnectionStringBuilder(database) { ApplicationName = name }.ConnectionString,
            ["FlowRuntime:MigrateOnStart"] = "true",
        });

    /// <summary>A fresh database on the server, so runs never see each other's rows.</summary>
    private static string CreateDatabase()
    {
        var server = Environment.GetEnvironmentVariable(SqlServerFactAttribute.ServerVariable)!;
        var name = "flowruntime_test_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new SqlConnection(server))
        {
            connection.Open();
            using var create = new SqlCommand($"CREATE DATABASE [{name}]", connection);
            create.ExecuteNonQuery();
        }

        return new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
    }
}
