using System.Collections.Concurrent;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Http;
using Connector.Actors.Schema;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Sink;

/// <summary>
/// An HTTP sink as an Akka.Streams sink: rows are encoded once, buffered up to <c>sink.requests.max-buffered</c>,
/// flushed by count, bytes or time, cut into requests and sent with at most <c>sink.requests.max-inflight</c> in flight.
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
    private readonly ConcurrentDictionary<Task<Done>, byte> _inflightRequests = new();

    private HttpSink(SinkSettings settings, HttpSinkOptions options)
    {
        _settings = settings;
        _options = options;
        _url = UrlRedaction.Redact(settings.Url);
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

    /// <summary>Releases the connection pool and the dead-letter file.</summary>
    public void Dispose()
    {
        _transport.Dispose();
        _deadLetters?.Dispose();
    }

    private Sink<Row, Task<SinkResult>> CreateSink()
    {
        var requestSize = _settings.Mode == SinkRequestMode.Single ? 1 : _settings.RequestBatchSize;
        return Flow.Create<Row>()
            .Select(Encode)
            .Buffer(_settings.MaxBuffered, OverflowStrategy.Backpressure)
            .GroupedWeightedWithin(_settings.FlushBufferSize, _settings.BatchMaxSize, _settings.FlushBufferTimeout, row => row.Length)
            .SelectMany(flush => flush.Chunk(requestSize))
            .SelectAsyncUnordered(_settings.MaxInflight, SendTracked)
            .ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<Done>(), Keep.Right)
            .MapMaterializedValue(Complete)
            .Named("http-sink-" + _settings.TableName);
    }

    private byte[] Encode(Row row)
    {
        Counters.AddReceived();
        var writer = RowJsonWriter.RentThreadWriter(out var buffer);
        RowJsonWriter.WriteRow(writer, row);
        writer.Flush();
        if (buffer.WrittenCount > _settings.MaxRecordSize)
        {
            throw new SinkFailedException(
                $"Sink table '{_settings.TableName}': a row of {buffer.WrittenCount} bytes exceeds sink.max-record-size ({_settings.MaxRecordSize} bytes); " +
                $"raise the limit or shrink the row. Row starts: {System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan[..Math.Min(120, buffer.WrittenCount)])}",
                _settings.TableName,
                null,
                1);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task<SinkResult> Complete(Task<Done> completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
            return Counters.Snapshot(Metrics.Requests);
        }
        catch (Exception exception)
        {
            // The stream fails at the first error while other requests may still be in flight. Waiting for them
            // lets the counts include their outcome, and keeps them from running on after the caller disposes the sink.
            await ((Task)Task.WhenAll(_inflightRequests.Keys)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    private Task<Done> SendTracked(byte[][] rows)
    {
        var send = SendAsync(rows);
        _inflightRequests.TryAdd(send, 0);
        send.ContinueWith(
            (completed, requests) => ((ConcurrentDictionary<Task<Done>, byte>)requests!).TryRemove(completed, out _),
            _inflightRequests,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return send;
    }

    private async Task<Done> SendAsync(byte[][] rows)
    {
        var body = _settings.Mode == SinkRequestMode.Single ? rows[0] : BatchBody(rows);
        var request = new OutgoingRequest(_settings.Method, _settings.Url, body, rows.Length);
        var exchange = await _transport.Sender.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        if (exchange.Attempts > 1)
        {
            Counters.AddRetried(rows.Length);
        }

        var error = Classify(exchange);
        InvokeCallback(new SinkRequestOutcome(
            _settings.Method.Method, _url, exchange.HasResponse ? exchange.StatusCode : null, rows.Length, exchange.Attempts, error is null, error));
        if (error is null)
        {
            Counters.AddDelivered(rows.Length);
            return Done.Instance;
        }

        Counters.AddFailedRequest(rows.Length);
        Metrics.AddFailure();
        var status = exchange.HasResponse ? exchange.StatusCode : (int?)null;
        switch (_settings.OnFailure)
        {
            case SinkFailurePolicy.DeadLetter:
                await _deadLetters!.WriteAsync(rows, error, status, exchange.Attempts, CancellationToken.None).ConfigureAwait(false);
                Counters.AddDeadLettered(rows.Length);
                LogDeadLettered(_logger, _settings.TableName, rows.Length, error);
                return Done.Instance;
            case SinkFailurePolicy.Drop:
                Counters.AddDropped(rows.Length);
                LogDropped(_logger, _settings.TableName, rows.Length, error);
                return Done.Instance;
            default:
                throw new SinkFailedException(
                    $"Sink table '{_settings.TableName}' failed: {_settings.Method} {_url} {error}; the request carried {rows.Length} row(s). " +
                    "Set http.sink.on-failure to dead-letter or drop to go on past failed requests.",
                    _settings.TableName,
                    status,
                    rows.Length,
                    exchange.Failure);
        }
    }

    private string? Classify(HttpExchange exchange)
    {
        if (!exchange.HasResponse)
        {
            var failure = exchange.Failure!;
            var text = string.IsNullOrEmpty(failure.Message) ? failure.GetType().Name : failure.Message;
            return failure is Auth.OidcTokenException
                ? $"failed because no OIDC token was available: {text}"
                : $"got no response after {exchange.Attempts} attempt(s): {text}";
        }

        var status = exchange.StatusCode;
        if (_settings.RetryCodes.Contains(status))
        {
            return $"returned status {status}, a retry code, after {exchange.Attempts} attempt(s); body: '{exchange.BodyExcerpt()}'";
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

    private static byte[] BatchBody(byte[][] rows)
    {
        var length = 2 + Math.Max(0, rows.Length - 1);
        foreach (var row in rows)
        {
            length += row.Length;
        }

        var body = new byte[length];
        body[0] = (byte)'[';
        var position = 1;
        for (var i = 0; i < rows.Length; i++)
        {
            if (i > 0)
            {
                body[position++] = (byte)',';
            }

            rows[i].CopyTo(body, position);
            position += rows[i].Length;
        }

        body[position] = (byte)']';
        return body;
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
