namespace Connector.Actors.Options;

/// <summary>The options of the <c>http-sink</c> connector, by their Flink names and the additions that follow their style.</summary>
public static class SinkOptions
{
#pragma warning disable CS1591 // Each constant is the option name it spells; the catalog below describes it.
    public const string ConnectorId = "http-sink";
    public const string InsertMethod = "insert-method";
    public const string BatchMaxSize = "sink.batch.max-size";
    public const string MaxInflight = "sink.requests.max-inflight";
    public const string MaxBuffered = "sink.requests.max-buffered";
    public const string FlushBufferSize = "sink.flush-buffer.size";
    public const string FlushBufferTimeout = "sink.flush-buffer.timeout";
    public const string MaxRecordSize = "sink.max-record-size";
    public const string RequestCallback = "http.sink.request-callback";
    public const string ErrorCode = "http.sink.error.code";
    public const string ErrorCodeExclude = "http.sink.error.code.exclude";
    public const string RequestTimeout = "http.sink.request.timeout";
    public const string ConnectionTimeout = "http.sink.connection.timeout";
    public const string WriterThreadPoolSize = "http.sink.writer.thread-pool.size";
    public const string RequestMode = "http.sink.writer.request.mode";
    public const string RequestBatchSize = "http.sink.request.batch.size";
    public const string HeaderPrefix = "http.sink.header.";
    public const string UseRawAuthorizationHeader = "http.sink.use-raw-authorization-header";
    public const string RetryCodes = "http.sink.retry-codes";
    public const string MaxRetries = "http.sink.max-retries";
    public const string RetryStrategyType = "http.sink.retry-strategy.type";
    public const string FixedDelay = "http.sink.retry-strategy.fixed-delay.delay";
    public const string InitialBackoff = "http.sink.retry-strategy.exponential-delay.initial-backoff";
    public const string MaxBackoff = "http.sink.retry-strategy.exponential-delay.max-backoff";
    public const string BackoffMultiplier = "http.sink.retry-strategy.exponential-delay.backoff-multiplier";
    public const string OnFailure = "http.sink.on-failure";
    public const string DeadLetterPath = "http.sink.dead-letter.path";
    public const string ProxyHost = "http.sink.proxy.host";
    public const string ProxyPort = "http.sink.proxy.port";
    public const string ProxyUsername = "http.sink.proxy.username";
    public const string ProxyPassword = "http.sink.proxy.password";
#pragma warning restore CS1591

    /// <summary>Every sink option with its default and meaning.</summary>
    public static IReadOnlyList<OptionDescriptor> All { get; } =
    [
        new(CommonOptions.Connector, ConnectorId, "Must be http-sink."),
        new(CommonOptions.Columns, null, "Optional column list; rows are sent with the columns they arrive with."),
        .. CommonOptions.Http,
        new(InsertMethod, "POST", "POST or PUT."),
        new(RequestMode, "batch", "batch (the body is a JSON array of rows) or single (one row object per request)."),
        new(BatchMaxSize, "500", "Rows buffered before a flush."),
        new(RequestBatchSize, "sink.batch.max-size", "Rows per request in batch mode; a flush is cut into requests of this size."),
        new(FlushBufferSize, "5mb", "Most encoded row bytes in one request; a flush with more is sent as several requests (bytes, or a size such as 5mb)."),
        new(FlushBufferTimeout, "5s", "Longest time the first buffered row waits for a flush (duration; a bare number is milliseconds)."),
        new(MaxInflight, "50", "Concurrent requests."),
        new(MaxBuffered, "10000", "Rows buffered before upstream is backpressured."),
        new(MaxRecordSize, "1mb", "Largest encoded row; a larger row fails the pipeline naming it (bytes or a size)."),
        new(HeaderPrefix + "<Name>", null, "A request header. Authorization values not starting with 'Basic ' are Base64-encoded into Basic unless the raw option is set."),
        new(UseRawAuthorizationHeader, "false", "Send the Authorization header value as configured, without Basic encoding."),
        new(ErrorCode, "4XX,5XX", "Status codes that fail a request: codes and classes such as 4XX; an explicit list replaces the default."),
        new(ErrorCodeExclude, null, "Exact status codes never treated as errors."),
        new(RetryCodes, "429,500,502,503,504", "Status codes retried while retries remain."),
        new(MaxRetries, "3", "Retries after the first attempt for connection failures, timeouts and retry codes; 0 disables retries."),
        new(RetryStrategyType, "fixed-delay", "fixed-delay or exponential-delay, case-insensitive."),
        new(FixedDelay, "1s", "Wait before each retry with fixed-delay (duration)."),
        new(InitialBackoff, "1s", "Wait before the first retry with exponential-delay (duration)."),
        new(MaxBackoff, "1min", "Longest wait between retries with exponential-delay (duration); also caps Retry-After."),
        new(BackoffMultiplier, "1.5", "Factor applied to the wait after each retry with exponential-delay."),
        new(RequestTimeout, "30s", "Timeout of each attempt (duration; a bare number is seconds)."),
        new(ConnectionTimeout, null, "Timeout for establishing a connection (duration; a bare number is seconds). Default: none."),
        new(WriterThreadPoolSize, "1", "Accepted for compatibility. Request concurrency is set by sink.requests.max-inflight."),
        new(OnFailure, "fail", "What a request that still fails after retries does: fail (stop the pipeline), dead-letter (write its rows to http.sink.dead-letter.path and go on) or drop (log, count and go on)."),
        new(DeadLetterPath, null, "NDJSON file that failed rows are appended to with the reason, status, attempts and time. Required with on-failure = dead-letter."),
        new(RequestCallback, "slf4j-logger", "Per-request callback: slf4j-logger (logs method, URL, status and rows) or none."),
        new(ProxyHost, null, "Proxy host name. Requires http.sink.proxy.port."),
        new(ProxyPort, null, "Proxy port."),
        new(ProxyUsername, null, "Proxy user name, sent only to the proxy."),
        new(ProxyPassword, null, "Proxy password, sent only to the proxy.", IsSecret: true),
    ];
}
