using System.Globalization;
using System.Net;
using FlowRuntime.Abstractions.Integrations;

namespace FlowRuntime.Integrations.Http;

/// <summary>
/// Per-attempt timeout and retries of transient failures for the integration clients (outermost handler).
/// Only idempotent methods (RFC 9110 §9.2.2) are retried: a repeated POST or PATCH could apply twice.
/// Transient: <see cref="HttpRequestException"/>, the attempt timeout, HTTP 408, 429 and 5xx. The last attempt's
/// timeout surfaces as <see cref="TimeoutException"/>; the caller's cancellation as <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// Replaces a Polly pipeline that snapshotted every request and emitted telemetry (about 2 KB per call). When the
/// first attempt succeeds this handler allocates nothing but the attempt's timeout source (its timer and the link to
/// the caller's token included); a retry re-sends the same <see cref="HttpRequestMessage"/> instead of a clone.
/// </remarks>
internal sealed class OutboundRetryHandler : DelegatingHandler
{
    /// <summary>Upper bound of one wait, back-off or <c>Retry-After</c>: a flow step should not stall for minutes.</summary>
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly int _maxRetries;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _time;

    /// <param name="maxRetries">Retries after the first attempt; 0 keeps only the attempt timeout.</param>
    /// <param name="baseDelay">First back-off wait, doubled per retry (±25% jitter); zero retries at once unless the server sends <c>Retry-After</c>.</param>
    /// <param name="attemptTimeout">Limit of one attempt, up to the response headers.</param>
    /// <param name="timeProvider">Drives the attempt timeout and the waits.</param>
    public OutboundRetryHandler(int maxRetries, TimeSpan baseDelay, TimeSpan attemptTimeout, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(attemptTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _maxRetries = maxRetries;
        _baseDelay = baseDelay;
        _attemptTimeout = attemptTimeout;
        _time = timeProvider;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Integration clients are async-only.");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retries = IsIdempotent(request.Method) ? _maxRetries : 0;
        // Every attempt sends the same content: a stream would be consumed by the first one. Byte-array and memory
        // contents (StringContent, FormUrlEncodedContent, ...) can be sent again as they are; buffering them would copy.
        if (retries > 0 && request.Content is { } content && content is not (ByteArrayContent or ReadOnlyMemoryContent))
        {
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 1; ; attempt++)
        {
            // Zero back-off does not look at the token: without this a cancelled caller would still send.
            cancellationToken.ThrowIfCancellationRequested();
            var isLast = attempt > retries;
            HttpResponseMessage? response = null;
            // Not CreateLinkedTokenSource + CancelAfter: CancelAfter ignores the TimeProvider. One source on the
            // provider's timer plus a registration on the caller's token costs the same as a linked source.
            using (var attemptCts = new CancellationTokenSource(_attemptTimeout, _time))
            using (cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), attemptCts))
            {
                try
                {
                    response = await base.SendAsync(request, attemptCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (attemptCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    if (isLast)
                    {
                        // The host only: the query may carry secrets (API keys, codes).
                        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                            $"No answer from {request.RequestUri?.Host ?? "the server"} within {_attemptTimeout.TotalSeconds:0.###} s."), e);
                    }
                }
                catch (HttpRequestException e) when (!isLast && !cancellationToken.IsCancellationRequested && !IsRefusedByGuard(e))
                {
                    // Transient (connection refused or reset, DNS): retried below.
                }
            }

            if (response is not null && (isLast || !IsTransient(response.StatusCode)))
            {
                return response;
            }

            var delay = Delay(attempt, response);
            response?.Dispose();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // RFC 9110 §9.2.2; unknown (extension) methods are not assumed idempotent.
    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
        || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;

    // The host's outbound guard refused the address: the same answer every time.
    private static bool IsRefusedByGuard(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is OutboundRequestRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The server's <c>Retry-After</c> when it sent one (it knows its own recovery), else jittered exponential back-off.</summary>
    internal TimeSpan Delay(int attempt, HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _time.GetUtcNow() : TimeSpan.Zero);
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < MaxDelay ? wait : MaxDelay;
        }

        if (_baseDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // Jitter spreads the retries of many callers that failed together (an API restarting) over time.
        var jitter = 0.75 + (Random.Shared.NextDouble() * 0.5);
        var milliseconds = _baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * jitter;
        return milliseconds >= MaxDelay.TotalMilliseconds ? MaxDelay : TimeSpan.FromMilliseconds(milliseconds);
    }
}
