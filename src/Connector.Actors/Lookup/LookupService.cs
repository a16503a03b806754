using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Connector.Actors.Http;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Lookup;

/// <summary>
/// Performs the lookups of one join: builds each request, sends it with retries, classifies the status, decodes
/// the body and fills key and metadata columns. Failures either throw or become metadata, as the table decides.
/// </summary>
internal sealed partial class LookupService : IDisposable
{
    private readonly LookupSettings _settings;
    private readonly LookupRequestFactory _requests;
    private readonly TableTransport _transport;
    private readonly LookupCache? _cache;
    private readonly ConnectorMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RowType _columns;
    private readonly int[] _keyColumnIndexes;

    public LookupService(LookupSettings settings, RowType keyType, string scope, LookupJoinOptions options)
    {
        _settings = settings;
        _columns = settings.Columns;
        _keyColumnIndexes = keyType.Fields.Select(f => _columns.IndexOf(f.Name)).ToArray();
        _metrics = options.Metrics;
        _logger = options.LoggerFactory.CreateLogger("Connector.Actors.Lookup");
        _requests = new LookupRequestFactory(settings, keyType, scope);
        _transport = TableTransport.Create(
            settings.TableName,
            settings.Client,
            settings.Headers,
            settings.Oidc,
            settings.Endpoint,
            settings.Retry,
            code => settings.StatusCodes.Classify(code) == StatusClass.Retry,
            settings.RequestTimeout,
            honourRetryAfter: false,
            settings.LoggingLevel,
            _logger,
            options.TimeProvider,
            options.Metrics,
            options.ActorSystem);
        _cache = settings.Cache is null ? null : new LookupCache(settings.Cache, options.TimeProvider);
    }

    /// <summary>The number of cached keys, or 0 without a cache.</summary>
    public int CachedKeys => _cache?.Count ?? 0;

    /// <summary>
    /// Returns the lookup rows for one set of key values, from the cache when it has them, in which case the result is
    /// already completed. <paramref name="keys"/> is only read during the call, so the caller may reuse the array.
    /// </summary>
    public ValueTask<IReadOnlyList<Row>> LookupAsync(object?[] keys, CancellationToken cancellationToken)
    {
        if (_cache is null)
        {
            return FetchRowsAsync((object?[])keys.Clone(), cancellationToken);
        }

        var probe = new LookupKey(keys);
        if (_cache.TryGet(probe, out var cached))
        {
            _metrics.AddCacheHit();
            return new(cached);
        }

        _metrics.AddCacheMiss();
        return new(FetchThroughCache(_cache, probe.WithOwnValues(), cancellationToken));
    }

    public void CancelRequests() => _transport.CancelRequests();

    public void Dispose() => _transport.Dispose();

    // A method of its own because the lambda's closure would otherwise be allocated on every call of LookupAsync,
    // cache hits included.
    private Task<IReadOnlyList<Row>> FetchThroughCache(LookupCache cache, LookupKey key, CancellationToken cancellationToken) =>
        cache.GetOrFetchAsync(key, k => FetchAsync(k.Values, cancellationToken));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<IReadOnlyList<Row>> FetchRowsAsync(object?[] keys, CancellationToken cancellationToken)
    {
        // An invalid key fails here, on the stage's thread, so a stopping join sends no request for the rows after it.
        if (!TryCreateRequest(keys, out var request, out var invalidKey))
        {
            return invalidKey.Rows;
        }

        // The join's stage starts every lookup on its actor's thread. Writing the request on the thread pool lets the
        // sends of all lookups in flight use every core. Akka's default dispatcher sets no synchronization context or
        // task scheduler, so Task.Yield queues the rest to the pool's global queue.
        await Task.Yield();
        var exchange = await _transport.Sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Settle(request, exchange, keys).Rows;
    }

    private async Task<(IReadOnlyList<Row> Rows, bool Cacheable)> FetchAsync(object?[] keys, CancellationToken cancellationToken)
    {
        if (!TryCreateRequest(keys, out var request, out var invalidKey))
        {
            return invalidKey;
        }

        // Leaves the stage's thread, as in FetchRowsAsync.
        await Task.Yield();
        var exchange = await _transport.Sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Settle(request, exchange, keys);
    }

    /// <summary>Builds the request, or the outcome of a lookup whose keys cannot go into one.</summary>
    private bool TryCreateRequest(
        object?[] keys, [NotNullWhen(true)] out OutgoingRequest? request, out (IReadOnlyList<Row> Rows, bool Cacheable) invalidKey)
    {
        try
        {
            request = _requests.Create(keys);
            invalidKey = default;
            return true;
        }
        catch (LookupKeyException exception)
        {
            request = null;
            invalidKey = Fail(null, null, CompletionState.Exception, exception.Message, $"Lookup in table '{_settings.TableName}' failed: {exception.Message}", exception);
            return false;
        }
    }

    /// <summary>Turns a lookup's exchange into its rows, or fails, as the table's status codes and options decide.</summary>
    private (IReadOnlyList<Row> Rows, bool Cacheable) Settle(OutgoingRequest request, HttpExchange exchange, object?[] keys)
    {
        if (_settings.LogEachRequest && _logger.IsEnabled(LogLevel.Debug))
        {
            LogRequestOutcome(_logger, _settings.TableName, request.Method.Method, UrlRedaction.Redact(request.Uri), exchange.HasResponse ? exchange.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no response", exchange.Attempts);
        }

        if (!exchange.HasResponse)
        {
            var failure = exchange.Failure!;
            var text = string.IsNullOrEmpty(failure.Message) ? failure.GetType().Name : failure.Message;
            return Fail(request, exchange, CompletionState.Exception, text,
                $"Lookup in table '{_settings.TableName}' failed: {request.Method} {UrlRedaction.Redact(request.Uri)} {exchange.DescribeFailure()}", failure);
        }

        switch (_settings.StatusCodes.Classify(exchange.StatusCode))
        {
            case StatusClass.Ignored:
                return (WithMetadata([], exchange, keys, CompletionState.IgnoreStatusCode, null), true);
            case StatusClass.Success:
                return Decode(request, exchange, keys);
            default:
                var excerpt = exchange.BodyExcerpt();
                var kind = _settings.StatusCodes.Classify(exchange.StatusCode) == StatusClass.Retry
                    ? $"status {exchange.StatusCode}, which is a retry code, and retries ran out after {exchange.Attempts} attempt(s)"
                    : $"status {exchange.StatusCode}, which is not a success code";
                return Fail(request, exchange, CompletionState.HttpErrorStatus, System.Text.Encoding.UTF8.GetString(exchange.Body),
                    $"Lookup in table '{_settings.TableName}' failed: {request.Method} {UrlRedaction.Redact(request.Uri)} returned {kind}; body: '{excerpt}'.", null);
        }
    }

    private (IReadOnlyList<Row>, bool) Decode(OutgoingRequest request, HttpExchange exchange, object?[] keys)
    {
        if (exchange.Body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return (WithMetadata([], exchange, keys, CompletionState.Success, null), true);
        }

        List<Row> rows;
        try
        {
            rows = RowJsonReader.ReadRows(exchange.Body, _columns, _settings.ResultType == LookupResultType.Array, _settings.FailOnMissingField);
        }
        catch (RowDecodeException exception)
        {
            if (_settings.IgnoreParseErrors)
            {
                return (WithMetadata([], exchange, keys, CompletionState.Success, null), true);
            }

            return Fail(request, exchange, CompletionState.UnableToDeserializeResponse, System.Text.Encoding.UTF8.GetString(exchange.Body),
                $"Lookup in table '{_settings.TableName}' failed: the response of {request.Method} {UrlRedaction.Redact(request.Uri)} (status {exchange.StatusCode}) " +
                $"cannot be decoded: {exception.Message} Body: '{exchange.BodyExcerpt()}'.", exception);
        }

        foreach (var row in rows)
        {
            FillMissingKeys(row, keys);
        }

        return (WithMetadata(rows, exchange, keys, CompletionState.Success, null), true);
    }

    private (IReadOnlyList<Row>, bool) Fail(
        OutgoingRequest? request, HttpExchange? exchange, string state, string errorText, string message, Exception? cause)
    {
        _metrics.AddFailure();
        if (!_settings.ContinueOnError)
        {
            throw new LookupFailedException(
                _settings.TableName,
                request?.Method.Method ?? _settings.Method.Method,
                request is null ? UrlRedaction.Redact(_settings.Url) : UrlRedaction.Redact(request.Uri),
                exchange is { HasResponse: true } ? exchange.StatusCode : null,
                message,
                cause);
        }

        LogContinuedFailure(_logger, _settings.TableName, message);

        // Failures are never cached, so a later element with the same key tries again.
        return (WithMetadata([], exchange, null, state, errorText), false);
    }

    private void FillMissingKeys(Row row, object?[] keys)
    {
        for (var i = 0; i < _keyColumnIndexes.Length; i++)
        {
            var column = _keyColumnIndexes[i];
            if (row.Values[column] is null)
            {
                row.Values[column] = keys[i];
            }
        }
    }

    private IReadOnlyList<Row> WithMetadata(List<Row> rows, HttpExchange? exchange, object?[]? keys, string state, string? errorText)
    {
        if (_columns.PhysicalCount == _columns.Count)
        {
            return rows;
        }

        if (rows.Count == 0)
        {
            // With metadata declared, a lookup with no data still yields one row so the metadata is visible.
            rows.Add(Row.Nulls(_columns));
        }

        var headers = exchange is { HasResponse: true } ? exchange.HeaderMap() : null;
        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Count; i++)
            {
                var field = _columns[i];
                row.Values[i] = field.MetadataKey switch
                {
                    null => row.Values[i],
                    LookupMetadata.ErrorString => errorText,
                    LookupMetadata.StatusCode => exchange is { HasResponse: true }
                        ? (field.Type.Kind == TypeKind.BigInt ? (object)(long)exchange.StatusCode : exchange.StatusCode)
                        : null,
                    LookupMetadata.Headers => headers,
                    LookupMetadata.CompletionStateKey => state,
                    _ => null,
                };
            }
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Table}: {Method} {Url} -> {Status} after {Attempts} attempt(s)")]
    private static partial void LogRequestOutcome(ILogger logger, string table, string method, string url, string status, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: lookup failed and continue-on-error is set, so the element goes on without data: {Reason}")]
    private static partial void LogContinuedFailure(ILogger logger, string table, string reason);
}
