using FlowRuntime.Api.Tests.Infrastructure;
using Npgsql;

namespace FlowRuntime.MultiHost.Tests.Infrastructure;

/// <summary>
/// Two FlowRuntime hosts on one PostgreSQL database, as behind a load balancer: separate service providers
/// (own in-process locks and caches) and separate connection pools (a distinct Application Name each), so
/// they share nothing but the database.
/// </summary>
public sealed class TwoHosts : IDisposable
{
    public TwoHosts()
    {
        var dataPath = FlowRuntimeFactory.NewDataPath();
        var database = PostgreSqlTestDatabase.For(dataPath);
        A = Host(dataPath, database, "host-a");
        B = Host(dataPath, database, "host-b");
        // Start one after the other: the first migrates, the second finds the schema current.
        ClientA = A.CreateManagementClient();
        ClientB = B.CreateManagementClient();
    }

    public FlowRuntimeFactory A { get; }

    public FlowRuntimeFactory B { get; }

    public HttpClient ClientA { get; }

    public HttpClient ClientB { get; }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }

    private static FlowRuntimeFactory Host(string dataPath, string database, string name) =>
        new(dataPath, new Dictionary<string, string?>
        {
            ["ConnectionStrings:FlowRuntime"] = new NpgsqlConnectionStringBuilder(database) { ApplicationName = name }.ConnectionString,
        });
}
