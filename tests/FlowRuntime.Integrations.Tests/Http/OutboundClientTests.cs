using System.Diagnostics;
using System.Net;
using System.Text;
using FlowRuntime.Integrations.Tests.Infrastructure;
using FlowRuntime.Integrations.Tokens;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FlowRuntime.Integrations.Tests.Http;

/// <summary>
/// The retry handler as the host wires it (<c>AddFlowRuntimeIntegrations</c>, default <c>AttemptTimeout</c> 30 s and
/// <c>MaxRetries</c> 2, <c>RetryDelay</c> 0), over real sockets to WireMock. The host's clock is a fake one, so a
/// test moves it on to time attempts out.
/// </summary>
public sealed class OutboundClientTests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Real time; the fake clock times the attempts out well before.</summary>
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(3);

    private IRespondWithAProvider On(MockProvider provider, string path) =>
        fixture.Server.Given(Request.Create().WithPath(provider.Path(path)).UsingAnyMethod());

    [Fact]
    public async Task PlainClient_NoAnswer_TimeoutExceptionWithHostOnly()
    {
        var provider = fixture.NewProvider();
        On(provider, "slow").RespondWith(Response.Create().WithStatusCode(200).WithDelay(SlowAnswer));
        using var client = fixture.Host.Connections.CreateClient(null);

        var call = client.GetAsync(provider.Url("slow?api_key=secret-key-123"));
        await AdvanceUntilCompletedAsync(call);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Equal($"No answer from {new Uri(provider.Url("slow")).Host} within 30 s.", e.Message);
        Assert.DoesNotContain("secret-key-123", e.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, await AttemptsAsync(provider, "slow", expected: 3));
    }

    [Fact]
    public async Task PlainClient_503Then200_Returns200AfterOneRetry()
    {
        var provider = fixture.NewProvider();
        var scenario = provider.Path("recovering");
        On(provider, "recovering").InScenario(scenario).WillSetStateTo("up").RespondWith(Response.Create().WithStatusCode(503));
        On(provider, "recovering").InScenario(scenario).WhenStateIs("up").RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
        using var client = fixture.Host.Connections.CreateClient(null);

        using var response = await client.GetAsync(provider.Url("recovering"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, provider.Entries("recovering").Count());
    }

    [Fact]
    public async Task PlainClient_429RetryAfterZero_Retried()
    {
        var provider = fixture.NewProvider();
        var scenario = provider.Path("limited");
        On(provider, "limited").InScenario(scenario).WillSetStateTo("free")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0"));
        On(provider, "limited").InScenario(scenario).WhenStateIs("free").RespondWith(Response.Create().WithStatusCode(200));
        using var client = fixture.Host.Connections.CreateClient(null);

        using var response = await client.GetAsync(provider.Url("limited"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, provider.Entries("limited").Count());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    public async Task PlainClient_ClientError_NotRetried(int status)
    {
        var provider = fixture.NewProvider();
        On(provider, "missing").RespondWith(Response.Create().WithStatusCode(status));
        using var client = fixture.Host.Connections.CreateClient(null);

        using var response = await client.GetAsync(provider.Url("missing"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Single(provider.Entries("missing"));
    }

    [Fact]
    public async Task PlainClient_PutStreamedJson_SameBodyOnEveryAttempt()
    {
        const string json = """{"id":"contact-42","name":"Ada Lovelace","tags":["a","b"]}""";
        var provider = fixture.NewProvider();
        On(provider, "contacts").RespondWith(Response.Create().WithStatusCode(503));
        using var client = fixture.Host.Connections.CreateClient(null);
        // Not seekable: the transport can read it once; the handler must buffer it for the retries.
        using var content = new StreamContent(new ReadOnceStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PutAsync(provider.Url("contacts"), content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal([json, json, json], provider.Entries("contacts").Select(e => e.RequestMessage!.Body));
    }

    [Fact]
    public async Task PlainClient_CallerCancels_OperationCanceledNotRetried()
    {
        var provider = fixture.NewProvider();
        On(provider, "slow").RespondWith(Response.Create().WithStatusCode(200).WithDelay(SlowAnswer));
        using var client = fixture.Host.Connections.CreateClient(null);
        using var caller = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(provider.Url("slow"), caller.Token));

        Assert.Equal(1, await AttemptsAsync(provider, "slow", expected: 1));
    }

    [Fact]
    public async Task TokenClient_NoAnswer_FailureResultAfterOneAttempt()
    {
        var provider = fixture.NewProvider();
        On(provider, "token").RespondWith(Response.Create().WithStatusCode(200).WithDelay(SlowAnswer));
        var tokens = fixture.Host.Services.GetRequiredService<TokenEndpointClient>();
        var request = new TokenHttpRequest(provider.Url("token"), HttpMethod.Post, [KeyValuePair.Create("grant_type", "client_credentials")],
            false, new Dictionary<string, string>(), "client", "client-secret-value");

        var call = tokens.RequestTokenAsync(request, null, ["client-secret-value"], CancellationToken.None);
        await AdvanceUntilCompletedAsync(call);
        var result = await call;

        Assert.Null(result.Grant);
        Assert.Equal($"The token endpoint could not be reached: No answer from {new Uri(provider.Url("token")).Host} within 30 s.", result.Failure!.Message);
        Assert.Equal(1, await AttemptsAsync(provider, "token", expected: 1));
    }

    /// <summary>
    /// WireMock logs a request once it has answered, also when the client gave up: waits for
    /// <paramref name="expected"/> entries, then a little longer so that a surplus would show.
    /// </summary>
    private static async Task<int> AttemptsAsync(MockProvider provider, string path, int expected)
    {
        var started = Stopwatch.StartNew();
        while (provider.Entries(path).Count() < expected && started.Elapsed < SlowAnswer * 3)
        {
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return provider.Entries(path).Count();
    }

    /// <summary>Moves the host's fake clock on by one attempt timeout at a time until <paramref name="call"/> ends.</summary>
    private async Task AdvanceUntilCompletedAsync(Task call)
    {
        var started = Stopwatch.StartNew();
        while (!call.IsCompleted)
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), "The call did not end.");
            // Give the attempt time to start (and set its timer) before the clock moves.
            await Task.WhenAny(call, Task.Delay(100));
            if (!call.IsCompleted)
            {
                fixture.Host.Time.Advance(AttemptTimeout);
            }
        }
    }
}
