using System.Text.Json.Nodes;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FlowRuntime.Integrations.Tests.Infrastructure;

/// <summary>One WireMock server and one FlowRuntime host shared by a test class; each test uses its own path prefix.</summary>
public sealed class ProviderFixture : IDisposable
{
    public ProviderFixture()
        : this(Microsoft.Extensions.Logging.LogLevel.Warning)
    {
    }

    internal ProviderFixture(Microsoft.Extensions.Logging.LogLevel logLevel, IReadOnlyDictionary<string, string?>? settings = null) =>
        Host = new IntegrationsHost(logLevel, settings);

    public WireMockServer Server { get; } = WireMockServer.Start();

    public IntegrationsHost Host { get; }

    public MockProvider NewProvider() => new(this, "p" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        Host.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}

/// <summary>A provider that behaves as each test tells it, under its own path prefix on the shared WireMock server.</summary>
public sealed class MockProvider(ProviderFixture fixture, string prefix)
{
    public WireMockServer Server => fixture.Server;

    public IntegrationsHost Host => fixture.Host;

    public string Url(string path) => $"{Server.Urls[0]}/{prefix}/{path.TrimStart('/')}";

    public string Path(string path) => $"/{prefix}/{path.TrimStart('/')}";

    /// <summary>The token endpoint answers requests whose body matches <paramref name="bodyRegex"/>.</summary>
    public MockProvider Token(string bodyRegex, int status, string body, string contentType = "application/json", int priority = 10, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }

        Server.Given(Request.Create().WithPath(Path("token")).UsingAnyMethod().WithBody(new RegexMatcher(bodyRegex, true)))
            .AtPriority(priority).RespondWith(response);
        return this;
    }

    public MockProvider TokenJson(string bodyRegex, object json, int status = 200, TimeSpan? delay = null) =>
        Token(bodyRegex, status, JsonSerializerToString(json), delay: delay);

    /// <summary>The API answers 200 with <paramref name="body"/> to the given token and <paramref name="otherwise"/> to any other.</summary>
    public MockProvider Api(string accessToken, string body = """{"ok":true}""", int otherwise = 401, string? otherwiseBody = null, string path = "api")
    {
        Server.Given(Request.Create().WithPath(Path(path)).UsingAnyMethod().WithHeader("Authorization", "Bearer " + accessToken))
            .AtPriority(1).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
        Server.Given(Request.Create().WithPath(Path(path)).UsingAnyMethod())
            .AtPriority(50).RespondWith(Response.Create().WithStatusCode(otherwise).WithHeader("Content-Type", "application/json").WithBody(otherwiseBody ?? """{"error":"invalid_token"}"""));
        return this;
    }

    public int Requests(string path, string? bodyContains = null) =>
        Server.LogEntries.Count(e => e.RequestMessage!.Path == Path(path) && (bodyContains is null || (e.RequestMessage!.Body ?? "").Contains(bodyContains, StringComparison.Ordinal)));

    public IEnumerable<WireMock.Logging.ILogEntry> Entries(string path) => Server.LogEntries.Where(e => e.RequestMessage!.Path == Path(path));

    /// <summary>Creates an authorization-code integration against this provider (plus <paramref name="extra"/> fields).</summary>
    public async Task<string> CreateAsync(JsonObject? extra = null)
    {
        var body = new JsonObject
        {
            ["name"] = "Mock " + prefix,
            ["grantType"] = "authorization_code",
            ["clientId"] = "client-" + prefix,
            ["clientSecret"] = "client-secret-" + prefix,
            ["scopes"] = new JsonArray("read", "write"),
            ["authorizationUrl"] = Url("authorize"),
            ["tokenUrl"] = Url("token"),
        };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return (await Host.CreateIntegrationAsync(body))["id"]!.GetValue<string>();
    }

    /// <summary>Creates and authorizes (the token endpoint must answer the code exchange).</summary>
    public async Task<string> CreateAuthorizedAsync(JsonObject? extra = null)
    {
        var id = await CreateAsync(extra);
        var landed = await Host.CompleteCallbackAsync(id);
        Assert.True(IntegrationsHost.Query(landed)["status"] == "authorized", landed.ToString());
        return id;
    }

    private static string JsonSerializerToString(object json) => json is string s ? s : System.Text.Json.JsonSerializer.Serialize(json);
}
