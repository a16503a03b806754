using System.Net;
using System.Net.Http.Headers;
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

    private readonly HttpClient _client;
    private readonly RequestHeaders _headers;
    private readonly IAuthorizationProvider? _authorization;
    private readonly ResiliencePipeline<HttpExchange> _pipeline;
    private readonly ConnectorMetrics _metrics;
    private readonly HttpExchangeLogger _log;
    private readonly Lazy<EndpointGate>? _gate;
    private readonly Func<int, bool> _isRetryStatus;
    private readonly TimeSpan _attemptTimeout;
    private readonly TimeProvider _time;

    public ResilientSender(
        HttpClient client,
        RequestHeaders headers,
        IAuthorizationProvider? authorization,
        RetrySettings retry,
        Func<int, bool> isRetryStatus,
        TimeSpan attemptTimeout,
        bool honourRetryAfter,
        TimeProvider timeProvider,
        ConnectorMetrics metrics,
        HttpExchangeLogger log,
        Lazy<EndpointGate>? gate = null)
    {
        _client = client;
        _headers = headers;
        _authorization = authorization;
        _metrics = metrics;
        _log = log;
        _gate = gate;
        _isRetryStatus = isRetryStatus;
        _attemptTimeout = attemptTimeout;
        _time = timeProvider;

        var builder = new ResiliencePipelineBuilder<HttpExchange> { TimeProvider = timeProvider };
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpExchange>
            {
                MaxRetryAttempts = retry.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is HttpRequestException or AttemptTimeoutException or IOException ||
                    (args.Outcome.Result is { } exchange && isRetryStatus(exchange.StatusCode))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    NextDelay(retry, args.AttemptNumber + 1, honourRetryAfter ? args.Outcome.Result : null, timeProvider)),
                OnRetry = args =>
                {
                    _metrics.AddRetry();
                    _log.Retry(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Result?.StatusCode, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            });
        }

        // The attempt timeout is applied inside each attempt, after the endpoint gate, so that waiting for a rate
        // permit or for a paused endpoint never counts against it.
        _pipeline = builder.Build();
    }

    /// <summary>Sends a request with retries; returns the last response, or the last attempt's exception.</summary>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled.</exception>
    public async ValueTask<HttpExchange> SendAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var state = new AttemptState(this, request);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    try
                    {
                        return Outcome.FromResult(await s.Sender.SendOnceAsync(s, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception exception)
                    {
                        return Outcome.FromException<HttpExchange>(exception);
                    }
                },
                context,
                state).ConfigureAwait(false);

            cancellationToken.ThrowIfCancellationRequested();
            var exchange = outcome.Result ?? HttpExchange.FromFailure(Describe(outcome.Exception!, request));
            exchange.Attempts = state.Attempts;
            return exchange;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpExchange> SendOnceAsync(AttemptState state, CancellationToken cancellationToken)
    {
        var gate = _gate?.Value;
        var ticket = gate is null ? default : await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        state.Attempts++;
        _metrics.AddRequest();
        using var timeout = new CancellationTokenSource(_attemptTimeout, _time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpExchange exchange;
        try
        {
            exchange = await SendAuthorizedAsync(state.Request, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            gate?.Complete(ticket, null, null, failed: true);
            throw new AttemptTimeoutException(_attemptTimeout, exception);
        }
        catch
        {
            gate?.Complete(ticket, null, null, failed: true);
            throw;
        }

        gate?.Complete(ticket, exchange.StatusCode, exchange.Headers?.RetryAfter is { } retryAfter ? RetryAfterDelay(retryAfter, _time) : null,
            failed: _isRetryStatus(exchange.StatusCode) || exchange.StatusCode >= 500);
        return exchange;
    }

    private async Task<HttpExchange> SendAuthorizedAsync(OutgoingRequest request, CancellationToken cancellationToken)
    {
        var authorization = _authorization is null
            ? null
            : await _authorization.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);

        var exchange = await SendWithAuthorizationAsync(request, authorization, cancellationToken).ConfigureAwait(false);
        if (exchange.StatusCode == (int)HttpStatusCode.Unauthorized && authorization is not null && _authorization is not null)
        {
            // A token can be revoked before its expiry: fetch a fresh one and try once more.
            _authorization.Invalidate(authorization);
            authorization = await _authorization.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
            _metrics.AddRequest();
            exchange = await SendWithAuthorizationAsync(request, authorization, cancellationToken).ConfigureAwait(false);
        }

        return exchange;
    }

    private async Task<HttpExchange> SendWithAuthorizationAsync(
        OutgoingRequest request, string? authorization, CancellationToken cancellationToken)
    {
        // HttpClient applies its default version only to messages that it creates itself, so it is set here.
        using var message = new HttpRequestMessage(request.Method, request.Uri)
        {
            Version = _client.DefaultRequestVersion,
            VersionPolicy = _client.DefaultVersionPolicy,
        };
        if (request.Body is { } body)
        {
            message.Content = new ReadOnlyMemoryContent(body);
            message.Content.Headers.ContentType = JsonContentType;
        }

        _headers.Apply(message, authorization);
        _log.Request(message, request.Body);
        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        var responseBody = await ReadBodyAsync(message, response, cancellationToken).ConfigureAwait(false);
        _log.Response(message, response, responseBody);
        return HttpExchange.FromResponse(response, responseBody);
    }

    /// <summary>
    /// Reads the response body. When the status is 400 or above and the body cannot be read, the body is taken as
    /// empty so that the caller still sees the status. A server or proxy that rejects a request often closes the
    /// connection without reading the request body (tinyproxy 1.11.1 does so when it rejects proxy credentials), and
    /// the connection is then reset while the response body is read.
    /// </summary>
    private async Task<byte[]> ReadBodyAsync(
        HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException && (int)response.StatusCode >= 400)
        {
            _log.UnreadableBody(request, (int)response.StatusCode, exception);
            return [];
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

    private sealed class AttemptState(ResilientSender sender, OutgoingRequest request)
    {
        public ResilientSender Sender { get; } = sender;

        public OutgoingRequest Request { get; } = request;

        public int Attempts { get; set; }
    }
}
