using System.Runtime.CompilerServices;
using Akka;
using Akka.Streams.Dsl;
using Connector.Actors.Http;
using Connector.Actors.Schema;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Sink;

/// <summary>
/// An HTTP sink as an Akka.Streams sink: rows are flushed by count or time, held up to
/// <c>sink.requests.max-buffered</c> rows, and encoded and sent with at most <c>sink.requests.max-inflight</c>
/// requests in flight, each request's rows within <c>sink.flush-buffer.size</c> bytes.
/// The materialized task completes when every row is settled, and fails when the sink stops on an error.
/// </summary>
public sealed partial class HttpSink : IDisposable
{
    private readonly SinkSettings _settings;
    private readonly HttpSinkOptions _options;
    private readonly TableTransport _transport;
    private readonly DeadLetterWriter? _deadLetters;
    private readonly ILogger _logger;
    private readonly string _url;
    private readonly SinkRequestEncoder _encoder;

    private HttpSink(SinkSettings settings, HttpSinkOptions options)
    {
        _settings = settings;
        _options = options;
        _url = UrlRedaction.Redact(settings.Url);
        _encoder = new SinkRequestEncoder(settings);
        _logger = options.LoggerFactory.CreateLogger("Connector.Actors.Sink");
        _transport = TableTransport.Create(
            settings.TableName,
            settings.Client,
            settings.Headers,
            settings.Oidc,
            settings.Endpoint,
            settings.Retry,
            settings.RetryCodes.Contains,
            settings.RequestTimeout,
            honourRetryAfter: true,
            settings.LoggingLevel,
            _logger,
            options.TimeProvider,
            options.Metrics,
            options.ActorSystem);
        _deadLetters = settings.DeadLetterPath is null ? null : new DeadLetterWriter(settings.DeadLetterPath, options.TimeProvider);

        Sink = CreateSink();
    }

    /// <summary>The sink; its counts accumulate over every materialization.</summary>
    public Sink<Row, Task<SinkResult>> Sink { get; }

    /// <summary>Live row counts.</summary>
    public SinkCounters Counters { get; } = new();

    /// <summary>Request counters.</summary>
    public ConnectorMetrics Metrics => _options.Metrics;

    /// <summary>Rows waiting in the sink's buffers or in requests not yet settled.</summary>
    public long Pending => Counters.Received - Counters.Delivered - Counters.DeadLettered - Counters.Dropped;

    /// <summary>Creates a sink for a table.</summary>
    public static HttpSink Create(SinkSettings settings, HttpSinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);

        return new HttpSink(settings, options ?? new HttpSinkOptions());
    }

    /// <summary>
    /// Cancels the sink's requests in flight and fails those that start later, so that a sink that must stop at once
    /// settles its rows as failed instead of waiting for the endpoint. The sink cannot send again afterwards.
    /// </summary>
    public void CancelRequests() => _transport.CancelRequests();

    /// <summary>Releases the connection pool and the dead-letter file.</summary>
    public void Dispose()
    {
        _transport.Dispose();
        _deadLetters?.Dispose();
    }

    private Sink<Row, Task<SinkResult>> CreateSink() =>
        Flow.Create<Row>()
            .Via(new SinkChunkStage(_settings, Counters))
            .ToMaterialized(new SinkSendStage(_settings.MaxInflight, SendAsync), Keep.Right)
            .MapMaterializedValue(Complete)
            .Named("http-sink-" + _settings.TableName);

    private async Task<SinkResult> Complete(Task<Done> completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
            return Counters.Snapshot(Metrics.Requests);
        }
        catch (Exception exception)
        {
            // The send stage fails the task only after this run's other requests have settled, so the counts include
            // their outcome and none runs on after the caller disposes the sink.
            var result = Counters.Snapshot(Metrics.Requests);
            if (exception is SinkFailedException failed)
            {
                failed.Result = result;
                throw;
            }

            throw new SinkFailedException(
                $"Sink table '{_settings.TableName}' stopped: {exception.Message} ({result.Failed} row(s) not delivered).",
                _settings.TableName,
                null,
                0,
                exception) { Result = result };
        }
    }

    private ValueTask<Done> SendAsync(Row[] rows)
    {
        if (rows.Length > 1)
        {
            return SendBatchAsync(rows);
        }

        // A single row is encoded on the stage's thread, so that a row that cannot be encoded fails the sink before
        // the sink takes the rows after it.
        SinkBatch[] batches;
        try
        {
            batches = _encoder.Encode(rows);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<Done>(exception);
        }

        return SendSingleAsync(batches[0]);
    }

    /// <summary>
    /// Sends a single row's request from the thread pool. The send stage starts every request on its actor's thread,
    /// where writing them would queue the requests of all slots behind each other. Akka's default dispatcher sets no
    /// synchronization context or task scheduler, so Task.Yield queues the rest to the pool's global queue.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Done> SendSingleAsync(SinkBatch batch)
    {
        await Task.Yield();
        return await SettleAsync(batch).ConfigureAwait(false);
    }

    /// <summary>
    /// Encodes the rows of a batch on the thread pool, so that requests encode on every core rather than on the
    /// stream's one thread, and sends the one or more requests that they make.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Done> SendBatchAsync(Row[] rows)
    {
        await Task.Yield();
        var batches = _encoder.Encode(rows);
        foreach (var batch in batches)
        {
            await SettleAsync(batch).ConfigureAwait(false);
        }

        return Done.Instance;
    }

    /// <summary>Sends one request and settles its rows: delivered, dead-lettered, dropped, or the sink fails.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Done> SettleAsync(SinkBatch batch)
    {
        var rows = batch.RowCount;
        var request = new OutgoingRequest(_settings.Method, _settings.Url, batch.Body, rows, StatusOnly: true);
        var exchange = await _transport.Sender.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        if (exchange.Attempts > 1)
        {
            Counters.AddRetried(rows);
        }

        var error = Classify(exchange);
        if (_settings.LogEachRequest || _options.RequestCallback is not null)
        {
            InvokeCallback(new SinkRequestOutcome(
                _settings.Method.Method, _url, exchange.HasResponse ? exchange.StatusCode : null, rows, exchange.Attempts, error is null, error));
        }

        if (error is null)
        {
            Counters.AddDelivered(rows);
            return Done.Instance;
        }

        Counters.AddFailedRequest(rows);
        Metrics.AddFailure();
        var status = exchange.HasResponse ? exchange.StatusCode : (int?)null;
        switch (_settings.OnFailure)
        {
            case SinkFailurePolicy.DeadLetter:
                await _deadLetters!.WriteAsync(batch.Rows(), error, status, exchange.Attempts, CancellationToken.None).ConfigureAwait(false);
                Counters.AddDeadLettered(rows);
                LogDeadLettered(_logger, _settings.TableName, rows, error);
                return Done.Instance;
            case SinkFailurePolicy.Drop:
                Counters.AddDropped(rows);
                LogDropped(_logger, _settings.TableName, rows, error);
                return Done.Instance;
            default:
                throw new SinkFailedException(
                    $"Sink table '{_settings.TableName}' failed: {_settings.Method} {_url} {error}; the request carried {rows} row(s). " +
                    "Set http.sink.on-failure to dead-letter or drop to go on past failed requests.",
                    _settings.TableName,
                    status,
                    rows,
                    exchange.Failure);
        }
    }

    private string? Classify(HttpExchange exchange)
    {
        if (!exchange.HasResponse)
        {
            return exchange.DescribeFailure();
        }

        var status = exchange.StatusCode;
        if (_settings.RetryCodes.Contains(status))
        {
            return $"returned status {status}, a retry code, after {exchange.Attempts} attempt(s); body: '{exchange.BodyExcerpt()}'";
        }

        if (status is >= 300 and < 400)
        {
            // The client follows redirects, so a redirect status that arrives here was not followed, and no endpoint
            // took the rows, whatever http.sink.error.code contains.
            return $"returned status {status}, a redirect that was not followed: it had no Location header, went from " +
                "https to http, or was one of more than 50 in a row. Set the url to the endpoint that takes the rows";
        }

        return _settings.ErrorCodes.IsError(status)
            ? $"returned error status {status}; body: '{exchange.BodyExcerpt()}'"
            : null;
    }

    private void InvokeCallback(SinkRequestOutcome outcome)
    {
        if (_settings.LogEachRequest)
        {
            LogRequestOutcome(_logger, _settings.TableName, outcome.Method, outcome.Url, outcome.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no response", outcome.Rows, outcome.Attempts);
        }

        if (_options.RequestCallback is not { } callback)
        {
            return;
        }

        try
        {
            callback(outcome);
        }
        catch (Exception exception)
        {
            Counters.AddCallbackError();
            LogCallbackError(_logger, exception, _settings.TableName);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Table}: {Method} {Url} -> {Status}, {Rows} row(s), {Attempts} attempt(s)")]
    private static partial void LogRequestOutcome(ILogger logger, string table, string method, string url, string status, int rows, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: {Rows} row(s) written to the dead-letter file: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string table, int rows, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: {Rows} row(s) dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, string table, int rows, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Table}: the request callback threw; the sink goes on")]
    private static partial void LogCallbackError(ILogger logger, Exception exception, string table);
}
