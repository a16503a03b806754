using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Polly;
using Polly.Retry;
using Connector.Actors.Cluster;

namespace Connector.Actors.Http;

/// <summary>
/// Sends requests with a per-attempt timeout and retries connection failures, timeouts and retry status codes,
/// and returns the final outcome instead of throwing, so every stream element completes.
/// </summary>
internal sealed class ResilientSender
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpMessageInvoker _invoker;
    private readonly Version _requestVersion;
    private readonly RequestHeaders _headers;
    private readonly IAuthorizationProvider? _authorization;
    private readonly ResiliencePipeline<HttpExchange>? _retryPipeline;
    private readonly AttemptTimeouts _timeouts;
    private readonly ConnectorMetrics _metrics;
    private readonly HttpExchangeLogger _log;
    private readonly Lazy<EndpointGate>? _gate;
    private readonly Func<int, bool> _isRetryStatus;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _time;
    private readonly CancellationToken _shutdown;

    public ResilientSender(
        HttpMessageInvoker invoker,
        Version requestVersion,
        RequestHeaders headers,
        IAuthorizationProvider? authorization,
        RetrySettings retry,
        Func<int, bool> isRetryStatus,
        TimeSpan attemptTimeout,
        bool honourRetryAfter,
        TimeProvider timeProvider,
        ConnectorMetrics metrics,
        HttpExchangeLogger log,
        Lazy<EndpointGate>? gate = null,
        CancellationToken shutdown = default)
    {
        _invoker = invoker;
        _requestVersion = requestVersion;
        _headers = headers;
        _authorization = authorization;
        _metrics = metrics;
        _log = log;
        _gate = gate;
        _isRetryStatus = isRetryStatus;
        _attemptTimeout = attemptTimeout;
        _time = timeProvider;
        _shutdown = shutdown;

        _timeouts = new AttemptTimeouts(timeProvider);
        if (retry.MaxRetries > 0)
        {
            _retryPipeline = new ResiliencePipelineBuilder<HttpExchange> { TimeProvider = timeProvider }.AddRetry(new RetryStrategyOptions<HttpExchange>
            {
                MaxRetryAttempts = retry.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } exchange && ShouldRetry(exchange)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    NextDelay(retry, args.AttemptNumber + 1, honourRetryAfter ? args.Outcome.Result : null, timeProvider)),
                OnRetry = args =>
                {
                    _metrics.AddRetry();
                    var previous = args.Outcome.Result;
                    _log.Retry(
                        args.AttemptNumber + 1,
                        args.RetryDelay,
                        previous is { HasResponse: true } ? previous.StatusCode : null,
                        previous?.Failure ?? args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            }).Build();
        }
    }

    /// <summary>Sends a request with retries; returns the last response, or the last attempt's exception.</summary>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    public ValueTask<HttpExchange> SendAsync(OutgoingRequest request, CancellationToken cancellationToken) =>
        AttemptAsync(request, cancellationToken, isFirst: true);

    /// <summary>Returns the outcome of a request after its last attempt, with failures described for error messages.</summary>
    private static HttpExchange Finish(HttpExchange exchange, int attempts, OutgoingRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!exchange.HasResponse)
        {
            exchange = HttpExchange.FromFailure(Describe(exchange.Failure!, request));
        }

        exchange.Attempts = attempts;
        return exchange;
    }

    private bool ShouldRetry(HttpExchange exchange) => exchange.HasResponse
        ? _isRetryStatus(exchange.StatusCode)
        : exchange.Failure is HttpRequestException or AttemptTimeoutException or IOException or Auth.OidcTokenException { IsTransient: true };

    private async Task<(HttpExchange Exchange, int Attempts)> RetryAsync(
        ResiliencePipeline<HttpExchange> pipeline, OutgoingRequest request, HttpExchange first, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var state = new RetryState(this, request, first);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    if (!s.FirstTaken)
                    {
                        s.FirstTaken = true;
                        return Outcome.FromResult(s.First);
                    }

                    s.Attempts++;
                    return Outcome.FromResult(await s.Sender.AttemptAsync(s.Request, ctx.CancellationToken, isFirst: false).ConfigureAwait(false));
                },
                context,
                state).ConfigureAwait(false);

            // The pipeline reports an exception of its own only when the caller cancelled, which the caller rethrows.
            return (outcome.Result ?? HttpExchange.FromFailure(outcome.Exception!), state.Attempts);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Makes one attempt: waits at the endpoint gate, then sends within the attempt timeout, which starts after the
    /// gate so that waiting for a rate permit or for a paused endpoint never counts against it. A 401 to a token sends
    /// once more with a fresh token. A failure is returned as an exchange without a response. The first attempt of a
    /// request also hands a retryable outcome to the retry pipeline and returns the request's final outcome.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpExchange> AttemptAsync(OutgoingRequest request, CancellationToken cancellationToken, bool isFirst)
    {
        var gate = _gate?.Value;
        GateTicket ticket;
        try
        {
            ticket = gate is null ? default : await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The gate fails on the caller's cancellation, on shutdown, or with a PermitLeaseTimeoutException when the
            // endpoint entity does not reply to permit requests. A retry would wait at the same gate, so none is made.
            var failure = HttpExchange.FromFailure(exception);
            return isFirst ? Finish(failure, 1, request, cancellationToken) : failure;
        }

        var timeout = _timeouts.Rent(_attemptTimeout, cancellationToken, out var link);

        // Closing the transport cancels the attempts in flight, as disposing an HttpClient does, and fails new ones at once.
        var shutdownLink = _shutdown.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timeout);
        HttpExchange exchange;
        RedirectChangedMethodException? redirected = null;
        HttpRequestMessage? sent = null;
        try
        {
            var authorization = _authorization is null
                ? null
                : await AuthorizeAsync(_authorization, timeout, cancellationToken).ConfigureAwait(false);
            for (var send = 0; ; send++)
            {
                _metrics.AddRequest();

                using var message = new HttpRequestMessage(request.Method, request.Uri)
                {
                    Version = _requestVersion,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                if (request.Body is { } body)
                {
                    message.Content = new ReadOnlyMemoryContent(body);
                    message.Content.Headers.ContentType = JsonContentType;
                }

                _headers.Apply(message, authorization);
                _log.Request(message, request.Body);
                sent = message;
                using var response = await _invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
                byte[] responseBody;
                try
                {
                    responseBody = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException
                    && ((int)response.StatusCode >= 400 || request.StatusOnly))
                {
                    // A server or proxy that rejects a request often closes the connection without reading the request
                    // body (tinyproxy 1.11.1 does so when it rejects proxy credentials), and the connection is then
                    // reset while the response body is read. The body is taken as empty so the caller still sees the status.
                    // A sink acts on the status alone, so a success whose body is cut off stays a success: a retry
                    // would send rows that the endpoint has already accepted.
                    _log.UnreadableBody(message, (int)response.StatusCode, exception);
                    responseBody = [];
                }

                _log.Response(message, response, responseBody);
                if (response.StatusCode == HttpStatusCode.Unauthorized && authorization is not null && send == 0)
                {
                    // A token can be revoked before its expiry: fetch a fresh one and send once more.
                    _authorization!.Invalidate(authorization);
                    authorization = await AuthorizeAsync(_authorization, timeout, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                exchange = HttpExchange.FromResponse(response, responseBody);

                // The handler rewrites the message as it follows redirects, so a changed method shows that the body was dropped.
                if (message.Method != request.Method)
                {
                    redirected = new RedirectChangedMethodException(request.Method, request.Uri, message.Method, message.RequestUri!);
                }

                break;
            }

            gate?.Complete(ticket, exchange.StatusCode, exchange.Headers?.RetryAfter is { } retryAfter ? RetryAfterDelay(retryAfter, _time) : null,
                failed: _isRetryStatus(exchange.StatusCode) || exchange.StatusCode >= 500);

            if (redirected is not null)
            {
                exchange = HttpExchange.FromFailure(redirected);
            }
        }
        catch (Exception exception) when (_shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            gate?.Complete(ticket, null, null, failed: true);
            exchange = HttpExchange.FromFailure(new OperationCanceledException(
                "The request was cancelled because its table stopped sending: the table was disposed or its requests were cancelled.",
                exception));
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            gate?.Complete(ticket, null, null, failed: true);
            exchange = HttpExchange.FromFailure(new AttemptTimeoutException(_attemptTimeout, exception));
        }
        catch (Exception exception) when (sent is not null && sent.Method != request.Method)
        {
            // The handler followed a redirect as a GET without the body and then failed, such as on a refused connection.
            // The body never reached any endpoint, so the redirect is reported instead, and not retried.
            gate?.Complete(ticket, null, null, failed: true);
            exchange = HttpExchange.FromFailure(new RedirectChangedMethodException(request.Method, request.Uri, sent.Method, sent.RequestUri!, exception));
        }
        catch (Exception exception)
        {
            gate?.Complete(ticket, null, null, failed: true);
            exchange = HttpExchange.FromFailure(exception);
        }
        finally
        {
            // Disposing the link first waits for a cancellation that is running, so none reaches a reused source.
            shutdownLink.Dispose();
            _timeouts.Return(timeout, link);
        }

        if (!isFirst)
        {
            return exchange;
        }

        // The first attempt runs before the retry pipeline, so a request that succeeds at once does not pay for it.
        // The pipeline takes over only when that attempt must be retried, and it receives the first outcome as its
        // own first attempt, so delays, attempt numbers and callbacks stay the same.
        var attempts = 1;
        if (_retryPipeline is not null && ShouldRetry(exchange))
        {
            (exchange, attempts) = await RetryAsync(_retryPipeline, request, exchange, cancellationToken).ConfigureAwait(false);
        }

        return Finish(exchange, attempts, request, cancellationToken);
    }

    /// <summary>
    /// Gets the Authorization header value within the attempt timeout. When the attempt times out first, the failure
    /// names the missing token rather than the data endpoint, and is retried like other transient token failures.
    /// </summary>
    private async ValueTask<string> AuthorizeAsync(
        IAuthorizationProvider authorization, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await authorization.GetAuthorizationAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new Auth.OidcTokenException(
                $"The attempt timed out after {_attemptTimeout.TotalMilliseconds:0} ms because no OIDC token arrived within the attempt timeout.",
                exception,
                isTransient: true);
        }
    }

    private static TimeSpan NextDelay(RetrySettings retry, int retryNumber, HttpExchange? previous, TimeProvider timeProvider)
    {
        if (previous is { StatusCode: 429 or 503, Headers.RetryAfter: { } retryAfter })
        {
            var wait = RetryAfterDelay(retryAfter, timeProvider);
            return wait > retry.MaxBackoff && retry.MaxBackoff > TimeSpan.Zero ? retry.MaxBackoff : wait;
        }

        return retry.DelayBeforeRetry(retryNumber);
    }

    private static TimeSpan RetryAfterDelay(System.Net.Http.Headers.RetryConditionHeaderValue retryAfter, TimeProvider timeProvider)
    {
        var wait = retryAfter.Delta ?? (retryAfter.Date - timeProvider.GetUtcNow()) ?? TimeSpan.Zero;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static Exception Describe(Exception exception, OutgoingRequest request) => exception switch
    {
        AttemptTimeoutException timeout => new TimeoutException(
            $"{request.Method} {UrlRedaction.Redact(request.Uri)} timed out after {timeout.Timeout.TotalMilliseconds:0} ms.", timeout),

        // The handler's own message ends in "see inner exception", so the reason, such as an untrusted certificate
        // chain, is moved into the message that table errors and dead letters show.
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError, InnerException: not null } secure =>
            new HttpRequestException(
                HttpRequestError.SecureConnectionError,
                $"The TLS handshake with {request.Uri.Authority} failed: {Innermost(secure).Message}",
                secure),
        // Messages such as "An error occurred while sending the request." leave the reason, such as a reset connection,
        // to the inner exception, which table errors and dead letters do not show.
        HttpRequestException { InnerException: not null } other when !other.Message.Contains(Innermost(other).Message, StringComparison.Ordinal) =>
            new HttpRequestException(other.HttpRequestError, $"{other.Message.TrimEnd('.')}: {Innermost(other).Message}", other),
        _ => exception,
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    /// <summary>The retry pipeline's view of one request: the first attempt's outcome, then the attempts it makes.</summary>
    private sealed class RetryState(ResilientSender sender, OutgoingRequest request, HttpExchange first)
    {
        public ResilientSender Sender { get; } = sender;

        public OutgoingRequest Request { get; } = request;

        public HttpExchange First { get; } = first;

        public bool FirstTaken { get; set; }

        public int Attempts { get; set; } = 1;
    }
}
