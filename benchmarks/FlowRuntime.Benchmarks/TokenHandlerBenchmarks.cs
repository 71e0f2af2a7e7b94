using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Host.Infrastructure;
using FlowRuntime.Integrations;
using FlowRuntime.Integrations.Management;
using FlowRuntime.Integrations.Storage;
using FlowRuntime.Integrations.Tokens;
using FlowRuntime.Persistence;
using FlowRuntime.Persistence.Locking;
using FlowRuntime.Persistence.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlowRuntime.Benchmarks;

/// <summary>
/// One authorized API call through the integrations pipeline versus a bare <see cref="HttpClient"/>, both against the
/// same in-process Kestrel server on loopback. The integration client is built like the host builds it (outbound
/// address guard as primary handler, SQLite, Data Protection, <c>AddFlowRuntimeIntegrations</c>) and its token is
/// cached before measuring, so the numbers are the steady state. Allocations are process-wide: they include the
/// server's share, which is the same in every case.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TokenHandlerBenchmarks
{
    private const string Loopback = "loopback server";
    private const string InMemory = "in-memory answer (pipeline overhead only)";

    private const string Token = "bench-access-token-0123456789abcdef";
    private const string Body = """{"data":{"id":"42","first_name":"Ada","last_name":"Lovelace"}}""";

    private WebApplication _server = null!;
    private Uri _contactUri = null!;
    private HttpClient _bare = null!;
    private ServiceProvider _services = null!;
    private IIntegrationConnections _connections = null!;
    private HttpClient _reusedIntegrationClient = null!;
    private string _integrationId = null!;
    private string _dbPath = null!;
    private HttpClient _bareInMemory = null!;
    private ServiceProvider _inMemoryServices = null!;
    private IIntegrationConnections _inMemoryConnections = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        // The upstream API: checks the bearer token, answers with a small JSON body.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/contacts/{id}", (string id, HttpRequest request) =>
            request.Headers.Authorization == "Bearer " + Token
                ? Results.Content(Body, "application/json")
                : Results.Unauthorized());
        await _server.StartAsync();
        var baseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        _contactUri = new Uri(baseUrl + "/contacts/42");

        _bare = new HttpClient(new SocketsHttpHandler());

        // The integrations module as the host wires it (HostSetup.AddFlowRuntime, DatabaseSetup.AddFlowRuntimeDatabase).
        _dbPath = Path.Combine(Path.GetTempPath(), $"flowruntime-bench-{Guid.NewGuid():n}.db");
        _services = BuildServices($"Data Source={_dbPath}", answerInMemory: false);
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<FlowRuntimeDbContext>().Database.MigrateAsync();
        }

        // An authorized integration with a long-lived token (a day; the background refresh is not running).
        var created = await _services.GetRequiredService<IntegrationManager>().CreateAsync(new IntegrationRequest
        {
            Name = "Contacts API",
            GrantType = IntegrationConstants.AuthorizationCode,
            ClientId = "bench",
            ClientSecret = "bench-secret",
            AuthorizationUrl = baseUrl + "/oauth/authorize",
            TokenUrl = baseUrl + "/oauth/token",
        }, "http://localhost", CancellationToken.None);
        _integrationId = created.Value?.Id ?? throw new InvalidOperationException($"Integration not created: {created.Error}");
        var expiresAt = TimeProvider.System.GetUtcNow().AddDays(1);
        await _services.GetRequiredService<IntegrationRepository>().SaveTokenAsync(
            _integrationId, new TokenGrant(Token, "bench-refresh-token", expiresAt, new Dictionary<string, JsonNode?>()), permanent: false, CancellationToken.None);

        _connections = _services.GetRequiredService<IIntegrationConnections>();
        _reusedIntegrationClient = _connections.CreateClient(_integrationId);

        // The same pipeline and database, but the primary handler answers from memory: no socket, no server, so the
        // difference to a bare HttpClient over the same answer is the pipeline's own cost, free of loopback noise.
        _inMemoryServices = BuildServices($"Data Source={_dbPath}", answerInMemory: true);
        _inMemoryConnections = _inMemoryServices.GetRequiredService<IIntegrationConnections>();
        _bareInMemory = new HttpClient(new InMemoryAnswer());

        // Warm everything: the token cache, each client's connection pool, the server.
        var token = await _services.GetRequiredService<TokenService>().GetAccessTokenAsync(_integrationId, null, CancellationToken.None);
        if (token.AccessToken != Token)
        {
            throw new InvalidOperationException($"Token not cached: {token.ErrorCode} {token.Error}");
        }

        foreach (var call in new Func<Task<string>>[] { BareHttpClient, PlainClientRetryOnly, IntegrationClient, IntegrationClientReused, BareHttpClientInMemory, IntegrationClientInMemory })
        {
            if (await call() != Body)
            {
                throw new InvalidOperationException("Unexpected response body.");
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _reusedIntegrationClient.Dispose();
        _bare.Dispose();
        _bareInMemory.Dispose();
        await _inMemoryServices.DisposeAsync();
        await _services.DisposeAsync();
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_dbPath);
    }

    /// <summary>Baseline: one shared HttpClient over SocketsHttpHandler, bearer header set per request.</summary>
    [Benchmark(Baseline = true, Description = "bare HttpClient")]
    [BenchmarkCategory(Loopback)]
    public Task<string> BareHttpClient() => GetAsync(_bare, withBearer: true);

    /// <summary><c>CreateClient(null)</c> per call, as the HTTP steps do: factory client, retry handler, guarded primary handler.</summary>
    [Benchmark(Description = "plain client CreateClient(null) (retry handler only)")]
    [BenchmarkCategory(Loopback)]
    public Task<string> PlainClientRetryOnly() => GetAsync(_connections.CreateClient(null), withBearer: true);

    /// <summary><c>CreateClient(id)</c> per call, as the HTTP steps do: id stamp, retry handler, token handler (cached token), guarded primary handler.</summary>
    [Benchmark(Description = "integration client (retry + token handler)")]
    [BenchmarkCategory(Loopback)]
    public Task<string> IntegrationClient() => GetAsync(_connections.CreateClient(_integrationId), withBearer: false);

    /// <summary>The same pipeline with one HttpClient kept for all calls: shows what <c>CreateClient</c> itself costs.</summary>
    [Benchmark(Description = "integration client, HttpClient reused (retry + token handler)")]
    [BenchmarkCategory(Loopback)]
    public Task<string> IntegrationClientReused() => GetAsync(_reusedIntegrationClient, withBearer: false);

    [Benchmark(Baseline = true, Description = "bare HttpClient, in-memory answer")]
    [BenchmarkCategory(InMemory)]
    public Task<string> BareHttpClientInMemory() => GetAsync(_bareInMemory, withBearer: true);

    [Benchmark(Description = "integration client, in-memory answer (retry + token handler)")]
    [BenchmarkCategory(InMemory)]
    public Task<string> IntegrationClientInMemory() => GetAsync(_inMemoryConnections.CreateClient(_integrationId), withBearer: false);

    private static ServiceProvider BuildServices(string connectionString, bool answerInMemory)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddOutboundHttp();
        if (answerInMemory)
        {
            services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => new InMemoryAnswer()));
        }

        services.AddDbContextPool<FlowRuntimeDbContext>(o => o.UseFlowRuntimeSqlite(connectionString));
        services.AddSingleton<IDatabaseLock, InProcessDatabaseLock>();
        services.AddSingleton(new DatabaseWriteGate(serializeWrites: true));
        services.AddDataProtection().SetApplicationName("FlowRuntime").PersistKeysToDbContext<FlowRuntimeDbContext>();
        services.AddFlowRuntimeIntegrations();
        return services.BuildServiceProvider();
    }

    /// <summary>Answers every request with the contact, checking the bearer token like the server does.</summary>
    private sealed class InMemoryAnswer : HttpMessageHandler
    {
        private static readonly byte[] Answer = System.Text.Encoding.UTF8.GetBytes(Body);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(request.Headers.Authorization is { Scheme: "Bearer", Parameter: Token }
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Answer) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } } }
                : new HttpResponseMessage(HttpStatusCode.Unauthorized));
    }

    private async Task<string> GetAsync(HttpClient client, bool withBearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _contactUri);
        if (withBearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
