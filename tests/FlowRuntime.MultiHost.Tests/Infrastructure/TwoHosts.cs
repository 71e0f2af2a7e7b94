using FlowRuntime.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FlowRuntime.MultiHost.Tests.Infrastructure;

/// <summary>
/// Two FlowRuntime hosts on one PostgreSQL database, as behind a load balancer: separate service providers
/// (own in-process locks and caches) and separate connection pools (a distinct Application Name each), so
/// they share nothing but the database. With a <see cref="TimeProvider"/> both hosts run on that clock.
/// </summary>
public class TwoHosts : IDisposable
{
    private readonly FlowRuntimeFactory[] _factories;

    public TwoHosts()
        : this(null)
    {
    }

    protected TwoHosts(TimeProvider? time)
    {
        var dataPath = FlowRuntimeFactory.NewDataPath();
        var database = PostgreSqlTestDatabase.For(dataPath);
        _factories = [Factory(dataPath, database, "host-a"), Factory(dataPath, database, "host-b")];
        A = time is null ? _factories[0] : _factories[0].WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(time)));
        B = time is null ? _factories[1] : _factories[1].WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(time)));
        // Start one after the other: the first migrates, the second finds the schema current.
        ClientA = ManagementClient(A);
        ClientB = ManagementClient(B);
    }

    public WebApplicationFactory<Program> A { get; }

    public WebApplicationFactory<Program> B { get; }

    public HttpClient ClientA { get; }

    public HttpClient ClientB { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        A.Dispose();
        B.Dispose();
        foreach (var factory in _factories)
        {
            factory.Dispose();
        }
    }

    private static HttpClient ManagementClient(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Api-Key", FlowRuntimeFactory.ApiKey);
        return client;
    }

    private static FlowRuntimeFactory Factory(string dataPath, string database, string name) =>
        new(dataPath, new Dictionary<string, string?>
        {
            ["ConnectionStrings:FlowRuntime"] = new NpgsqlConnectionStringBuilder(database) { ApplicationName = name }.ConnectionString,
        });
}
