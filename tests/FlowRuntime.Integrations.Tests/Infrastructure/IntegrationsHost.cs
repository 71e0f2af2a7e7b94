using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FlowRuntime.Abstractions.Integrations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FlowRuntime.Integrations.Tests.Infrastructure;

/// <summary>
/// The real FlowRuntime host in-process on a real SQLite file, with a <see cref="FakeTimeProvider"/>, captured
/// logs, and a public base URL (<see cref="PublicBaseUrl"/>) that the test "browser" routes to the in-memory server.
/// </summary>
public sealed class IntegrationsHost : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-management-key-0123456789";
    public const string PublicBaseUrl = "http://flowruntime.test";

    private readonly string _dataPath = Directory.CreateTempSubdirectory("flowruntime-integrations-").FullName;
    private readonly LogLevel _logLevel;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public IntegrationsHost(LogLevel logLevel = LogLevel.Warning, IReadOnlyDictionary<string, string?>? settings = null)
    {
        _logLevel = logLevel;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("FlowRuntime:ApiKey", ApiKey);
        builder.UseSetting("FlowRuntime:DataPath", _dataPath);
        builder.UseSetting("FlowRuntime:SampleFlowsPath", "");
        builder.UseSetting("FlowRuntime:PublicBaseUrl", PublicBaseUrl);
        builder.UseSetting("FlowRuntime:Integrations:BackgroundRefreshInterval", "00:00:00");
        builder.UseSetting("FlowRuntime:Integrations:RetryDelay", "00:00:00");
        builder.UseSetting("Logging:LogLevel:Default", _logLevel.ToString());
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(_logLevel).AddProvider(Logs));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    public IIntegrationConnections Connections => Services.GetRequiredService<IIntegrationConnections>();

    /// <summary>A client that sends the management key.</summary>
    public HttpClient Management()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(PublicBaseUrl) });
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>Creates an integration and returns its JSON (fails the test with the problem details otherwise).</summary>
    public async Task<JsonObject> CreateIntegrationAsync(object body)
    {
        using var client = Management();
        var response = await client.PostAsJsonAsync("/api/integrations", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> GetIntegrationAsync(string id)
    {
        using var client = Management();
        return (await client.GetFromJsonAsync<JsonObject>($"/api/integrations/{id}"))!;
    }

    public async Task<JsonArray> GetLogsAsync(string id)
    {
        using var client = Management();
        return (await client.GetFromJsonAsync<JsonArray>($"/api/integrations/{id}/logs"))!;
    }

    /// <summary>The provider URL from <c>GET /authorize</c> with Accept: application/json.</summary>
    public async Task<Uri> GetAuthorizationUrlAsync(string id)
    {
        using var client = Management();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/integrations/{id}/authorize");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return new Uri(JsonNode.Parse(text)!["authorizationUrl"]!.GetValue<string>());
    }

    /// <summary>
    /// Plays the provider's redirect back to the callback with the state of a fresh authorization request
    /// (for WireMock providers, which have no login page). Returns where FlowRuntime sends the browser.
    /// </summary>
    public async Task<Uri> CompleteCallbackAsync(string id, string? query = null)
    {
        var authorizationUrl = await GetAuthorizationUrlAsync(id);
        var state = Query(authorizationUrl)["state"];
        query ??= "code=auth-code-123";
        return await CallbackAsync(id, $"{query}&state={Uri.EscapeDataString(state!)}");
    }

    public async Task<Uri> CallbackAsync(string id, string query)
    {
        using var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(PublicBaseUrl) });
        using var response = await client.GetAsync($"/oauth/callback/{id}?{query}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>
    /// A browser: follows redirects across the real authorization server (sockets) and FlowRuntime (in memory)
    /// until it reaches a page that is not a redirect, FlowRuntime's integrations page or another site. Returns the last URL.
    /// </summary>
    public async Task<Uri> BrowseAsync(Uri start)
    {
        using var sockets = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var local = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri(PublicBaseUrl) });
        var url = start;
        for (var hop = 0; hop < 10; hop++)
        {
            var isLocal = url.GetLeftPart(UriPartial.Authority) == PublicBaseUrl;
            if ((isLocal && url.AbsolutePath == "/integrations") || (!isLocal && !url.IsLoopback))
            {
                return url;
            }

            var client = url.GetLeftPart(UriPartial.Authority) == PublicBaseUrl ? local : sockets;
            using var response = await client.GetAsync(url);
            if ((int)response.StatusCode is < 300 or >= 400)
            {
                return url;
            }

            url = new Uri(url, response.Headers.Location!);
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    public static Dictionary<string, string?> Query(Uri uri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean up.
        }
    }
}

/// <summary>Captures every log message (formatted, with exception text) so tests can scan them for secrets.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
