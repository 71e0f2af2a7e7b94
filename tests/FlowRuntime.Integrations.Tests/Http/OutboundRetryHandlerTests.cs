using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FlowRuntime.Abstractions.Integrations;
using FlowRuntime.Integrations.Http;
using Microsoft.Extensions.Time.Testing;

namespace FlowRuntime.Integrations.Tests.Http;

/// <summary>
/// <see cref="OutboundRetryHandler"/> over an in-memory inner handler and a <see cref="FakeTimeProvider"/>: attempts,
/// timeouts and waits are counted exactly. The real clients are covered in <see cref="OutboundClientTests"/>.
/// </summary>
public sealed class OutboundRetryHandlerTests
{
    private const string Url = "https://api.example.test/v1/contacts?api_key=secret-key-123";
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private HttpClient Client(ScriptedHandler inner, int maxRetries = 2, TimeSpan? baseDelay = null) =>
        new(new OutboundRetryHandler(maxRetries, baseDelay ?? TimeSpan.Zero, AttemptTimeout, _time) { InnerHandler = inner });

    [Fact]
    public async Task Get_EveryAttemptTimesOut_RetriedThenTimeoutExceptionWithHostOnly()
    {
        var inner = ScriptedHandler.Hanging();
        using var client = Client(inner);

        var call = client.GetAsync(Url);
        await StartedAsync(inner);
        _time.Advance(AttemptTimeout - TimeSpan.FromSeconds(1));
        Assert.False(call.IsCompleted);
        Assert.Equal(1, inner.Attempts);
        _time.Advance(TimeSpan.FromSeconds(1));
        await StartedAsync(inner);
        _time.Advance(AttemptTimeout);
        await StartedAsync(inner);
        _time.Advance(AttemptTimeout);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Within(call));
        Assert.Equal(3, inner.Attempts);
        Assert.Equal("No answer from api.example.test within 30 s.", e.Message);
        Assert.DoesNotContain("secret-key-123", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TimeoutWithoutRetries_TimeoutExceptionAfterOneAttempt()
    {
        var inner = ScriptedHandler.Hanging();
        using var client = Client(inner, maxRetries: 0);

        var call = client.GetAsync(Url);
        await StartedAsync(inner);
        _time.Advance(AttemptTimeout);

        await Assert.ThrowsAsync<TimeoutException>(() => Within(call));
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public async Task Get_503Then200_Returns200AfterOneRetry_DisposesThe503()
    {
        var failed = new TrackedContent();
        var inner = new ScriptedHandler((_, _) => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = failed }, Status(HttpStatusCode.OK));
        using var client = Client(inner);

        using var response = await Within(client.GetAsync(Url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Attempts);
        Assert.True(failed.Disposed);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Get_TransientStatus_RetriedUntilSuccess(HttpStatusCode status)
    {
        var inner = new ScriptedHandler(Status(status), Status(status), Status(HttpStatusCode.OK));
        using var client = Client(inner);

        using var response = await Within(client.GetAsync(Url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, inner.Attempts);
    }

    [Fact]
    public async Task Get_StillFailingAfterAllRetries_ReturnsTheLastResponse()
    {
        var inner = new ScriptedHandler(Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(inner, maxRetries: 3);

        using var response = await Within(client.GetAsync(Url));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, inner.Attempts);
    }

    [Fact]
    public async Task Get_429WithRetryAfterZero_RetriedAtOnceDespiteLongBackOff()
    {
        // A one-minute back-off on a clock that never moves: only Retry-After: 0 lets the retry happen.
        var inner = new ScriptedHandler((_, _) => RetryAfter(HttpStatusCode.TooManyRequests, TimeSpan.Zero), Status(HttpStatusCode.OK));
        using var client = Client(inner, baseDelay: TimeSpan.FromMinutes(1));

        using var response = await Within(client.GetAsync(Url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Attempts);
    }

    [Fact]
    public async Task Get_503WithRetryAfterSeconds_WaitsThatLongOnTheTimeProvider()
    {
        var inner = new ScriptedHandler((_, _) => RetryAfter(HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5)), Status(HttpStatusCode.OK));
        using var client = Client(inner);

        var call = client.GetAsync(Url);
        await StartedAsync(inner);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(call.IsCompleted);
        Assert.Equal(1, inner.Attempts);
        _time.Advance(TimeSpan.FromSeconds(1));

        using var response = await Within(call);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Attempts);
    }

    [Fact]
    public async Task Get_503_BackOffWaitsOnTheTimeProviderBeforeRetrying()
    {
        var inner = new ScriptedHandler(Status(HttpStatusCode.ServiceUnavailable), Status(HttpStatusCode.OK));
        using var client = Client(inner, baseDelay: TimeSpan.FromSeconds(1));

        var call = client.GetAsync(Url);
        await StartedAsync(inner);
        _time.Advance(TimeSpan.FromMilliseconds(700)); // below the jitter's lower bound (0.75 s)
        Assert.False(call.IsCompleted);
        Assert.Equal(1, inner.Attempts);
        _time.Advance(TimeSpan.FromMilliseconds(600)); // beyond the upper bound (1.25 s)

        using var response = await Within(call);
        Assert.Equal(2, inner.Attempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task Get_ClientError_NotRetried(HttpStatusCode status)
    {
        var inner = new ScriptedHandler(Status(status), Status(HttpStatusCode.OK));
        using var client = Client(inner);

        using var response = await Within(client.GetAsync(Url));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, inner.Attempts);
    }

    [Theory]
    [InlineData("GET", 3)]
    [InlineData("HEAD", 3)]
    [InlineData("OPTIONS", 3)]
    [InlineData("PUT", 3)]
    [InlineData("DELETE", 3)]
    [InlineData("TRACE", 3)]
    [InlineData("POST", 1)]
    [InlineData("PATCH", 1)]
    [InlineData("PROPFIND", 1)]
    public async Task TransientFailure_RetriedOnlyForIdempotentMethods(string method, int expectedAttempts)
    {
        var inner = new ScriptedHandler(Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(inner);

        using var response = await Within(client.SendAsync(new HttpRequestMessage(new HttpMethod(method), Url)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(expectedAttempts, inner.Attempts);
    }

    [Fact]
    public async Task Post_AttemptTimesOut_NotRetried_TimeoutException()
    {
        var inner = ScriptedHandler.Hanging();
        using var client = Client(inner);

        var call = client.PostAsync(Url, new StringContent("{}"));
        await StartedAsync(inner);
        _time.Advance(AttemptTimeout);

        await Assert.ThrowsAsync<TimeoutException>(() => Within(call));
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public async Task Put_StreamBody_SentIdenticallyOnEveryAttempt()
    {
        const string json = """{"name":"Ada","tags":["a","b"]}""";
        var inner = new ScriptedHandler(Status(HttpStatusCode.ServiceUnavailable), Status(HttpStatusCode.BadGateway), Status(HttpStatusCode.OK));
        using var client = Client(inner);
        // A stream that can be read once, like a request body streamed from elsewhere.
        using var content = new StreamContent(new ReadOnceStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await Within(client.PutAsync(Url, content));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([json, json, json], inner.Bodies);
    }

    [Fact]
    public async Task CallerCancelsDuringAttempt_NotRetried_OperationCanceled()
    {
        var inner = ScriptedHandler.Hanging();
        using var client = Client(inner);
        using var caller = new CancellationTokenSource();

        var call = client.GetAsync(Url, caller.Token);
        await StartedAsync(inner);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(call));
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public async Task CallerCancelsDuringBackOff_NoFurtherAttempt_OperationCanceled()
    {
        var inner = new ScriptedHandler(Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(inner, baseDelay: TimeSpan.FromSeconds(1));
        using var caller = new CancellationTokenSource();

        var call = client.GetAsync(Url, caller.Token);
        await StartedAsync(inner);
        await caller.CancelAsync();
        _time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Within(call));
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public async Task CallerTokenAlreadyCancelled_NoAttempt()
    {
        var inner = new ScriptedHandler(Status(HttpStatusCode.OK));
        // Straight to the handler: HttpClient might check the token itself.
        using var invoker = new HttpMessageInvoker(new OutboundRetryHandler(2, TimeSpan.Zero, AttemptTimeout, _time) { InnerHandler = inner });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Url), new CancellationToken(canceled: true)));
        Assert.Equal(0, inner.Attempts);
    }

    [Fact]
    public async Task Get_ConnectionFailsOnce_RetriedAndSucceeds()
    {
        var inner = new ScriptedHandler((_, _) => throw new HttpRequestException("Connection refused"), Status(HttpStatusCode.OK));
        using var client = Client(inner);

        using var response = await Within(client.GetAsync(Url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Attempts);
    }

    [Fact]
    public async Task Get_ConnectionFailsEveryTime_LastHttpRequestExceptionSurfaces()
    {
        var inner = new ScriptedHandler((_, n) => throw new HttpRequestException($"Connection refused {n}"));
        using var client = Client(inner);

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => Within(client.GetAsync(Url)));

        Assert.Equal("Connection refused 3", e.Message);
        Assert.Equal(3, inner.Attempts);
    }

    [Fact]
    public async Task Get_RefusedByOutboundGuard_NotRetried()
    {
        var inner = new ScriptedHandler((_, _) => throw new HttpRequestException("refused", new OutboundRequestRefusedException("Address not allowed")));
        using var client = Client(inner);

        await Assert.ThrowsAsync<HttpRequestException>(() => Within(client.GetAsync(Url)));
        Assert.Equal(1, inner.Attempts);
    }

    [Fact]
    public void Send_Synchronous_NotSupported()
    {
        using var client = Client(new ScriptedHandler(Status(HttpStatusCode.OK)));

        Assert.Throws<NotSupportedException>(() => client.Send(new HttpRequestMessage(HttpMethod.Get, Url)));
    }

    [Theory]
    [InlineData(1, 750, 1250)]
    [InlineData(2, 1500, 2500)]
    [InlineData(3, 3000, 5000)]
    [InlineData(10, 30_000, 30_000)] // 512 s capped
    public void Delay_ExponentialWithJitter_Capped(int attempt, int minMs, int maxMs)
    {
        var handler = new OutboundRetryHandler(10, TimeSpan.FromSeconds(1), AttemptTimeout, _time);

        for (var i = 0; i < 50; i++)
        {
            var delay = handler.Delay(attempt, null).TotalMilliseconds;
            Assert.InRange(delay, minMs, maxMs);
        }
    }

    [Fact]
    public void Delay_RetryAfter_DeltaDateAndCap()
    {
        var handler = new OutboundRetryHandler(2, TimeSpan.FromSeconds(1), AttemptTimeout, _time);
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(_time.GetUtcNow().AddSeconds(12));
        using var past = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        past.Headers.RetryAfter = new RetryConditionHeaderValue(_time.GetUtcNow().AddMinutes(-1));
        using var longDelta = RetryAfter(HttpStatusCode.TooManyRequests, TimeSpan.FromMinutes(10));

        Assert.Equal(TimeSpan.FromSeconds(12), handler.Delay(1, date));
        Assert.Equal(TimeSpan.Zero, handler.Delay(1, past));
        Assert.Equal(OutboundRetryHandler.MaxDelay, handler.Delay(1, longDelta));
    }

    /// <summary>Fails the test when no attempt starts (instead of hanging on a clock that never moves).</summary>
    private static async Task StartedAsync(ScriptedHandler inner) =>
        Assert.True(await inner.Started.WaitAsync(Wait), "No attempt started.");

    /// <summary>
    /// The call's own outcome, or a failed test when it does not end in time. Not <c>Task.WaitAsync</c>: its
    /// TimeoutException would pass for the handler's.
    /// </summary>
    private static async Task<T> Within<T>(Task<T> call)
    {
        await Task.WhenAny(call, Task.Delay(Wait));
        Assert.True(call.IsCompleted, "The call did not end.");
        return await call;
    }

    private static Func<HttpRequestMessage, int, HttpResponseMessage> Status(HttpStatusCode status) => (_, _) => new HttpResponseMessage(status);

    private static HttpResponseMessage RetryAfter(HttpStatusCode status, TimeSpan delta)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(delta);
        return response;
    }

    /// <summary>Answers attempt n with the n-th script entry (the last one repeats); records attempts and request bodies.</summary>
    private sealed class ScriptedHandler(params Func<HttpRequestMessage, int, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        private int _attempts;

        public bool Hang { get; private init; }

        public int Attempts => Volatile.Read(ref _attempts);

        /// <summary>Released once per attempt, when it has started.</summary>
        public SemaphoreSlim Started { get; } = new(0);

        public List<string> Bodies { get; } = [];

        public static ScriptedHandler Hanging() => new() { Hang = true };

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            if (request.Content is not null)
            {
                // Serialized like a transport does (not ReadAsString, which would buffer the content itself).
                using var body = new MemoryStream();
                await request.Content.CopyToAsync(body, cancellationToken);
                Bodies.Add(Encoding.UTF8.GetString(body.ToArray()));
            }

            Started.Release();
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return script[Math.Min(attempt, script.Length) - 1](request, attempt);
        }
    }

    private sealed class TrackedContent : ByteArrayContent
    {
        public TrackedContent()
            : base([])
        {
        }

        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
