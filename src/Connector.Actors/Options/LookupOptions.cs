namespace Connector.Actors.Options;

/// <summary>The options of the <c>rest-lookup</c> connector, by their Flink names.</summary>
public static class LookupOptions
{
#pragma warning disable CS1591 // Each constant is the option name it spells; the catalog below describes it.
    public const string ConnectorId = "rest-lookup";
    public const string AsyncPolling = "asyncPolling";
    public const string LookupMethod = "lookup-method";
    public const string Cache = "lookup.cache";
    public const string CacheMaxRows = "lookup.partial-cache.max-rows";
    public const string CacheExpireAfterWrite = "lookup.partial-cache.expire-after-write";
    public const string CacheExpireAfterAccess = "lookup.partial-cache.expire-after-access";
    public const string CacheMissingKey = "lookup.partial-cache.cache-missing-key";
    public const string MaxRetries = "lookup.max-retries";
    public const string ErrorCode = "lookup.error.code";
    public const string ErrorCodeExclude = "lookup.error.code.exclude";
    public const string RequestTimeout = "http.source.lookup.request.timeout";
    public const string RequestThreadPoolSize = "http.source.lookup.request.thread-pool.size";
    public const string ResponseThreadPoolSize = "http.source.lookup.response.thread-pool.size";
    public const string UseRawAuthorizationHeader = "http.source.lookup.use-raw-authorization-header";
    public const string RequestCallback = "http.source.lookup.request-callback";
    public const string ConnectionTimeout = "http.source.lookup.connection.timeout";
    public const string SuccessCodes = "http.source.lookup.success-codes";
    public const string RetryCodes = "http.source.lookup.retry-codes";
    public const string IgnoredResponseCodes = "http.source.lookup.ignored-response-codes";
    public const string RetryStrategyType = "http.source.lookup.retry-strategy.type";
    public const string FixedDelay = "http.source.lookup.retry-strategy.fixed-delay.delay";
    public const string InitialBackoff = "http.source.lookup.retry-strategy.exponential-delay.initial-backoff";
    public const string MaxBackoff = "http.source.lookup.retry-strategy.exponential-delay.max-backoff";
    public const string BackoffMultiplier = "http.source.lookup.retry-strategy.exponential-delay.backoff-multiplier";
    public const string ProxyHost = "http.source.lookup.proxy.host";
    public const string ProxyPort = "http.source.lookup.proxy.port";
    public const string ProxyUsername = "http.source.lookup.proxy.username";
    public const string ProxyPassword = "http.source.lookup.proxy.password";
    public const string HeaderPrefix = "http.source.lookup.header.";
    public const string QueryCreator = "http.source.lookup.query-creator";
    public const string HttpVersion = "http.source.lookup.http-version";
    public const string ResultType = "http.source.lookup.result-type";
    public const string ContinueOnError = "http.source.lookup.continue-on-error";
    public const string QueryParamFields = "http.request.query-param-fields";
    public const string BodyFields = "http.request.body-fields";
    public const string UrlMap = "http.request.url-map";
    public const string UrlArgs = "url-args";
    public const string RequestFormat = "lookup-request.format";
#pragma warning restore CS1591

    /// <summary>Every lookup option with its default and meaning.</summary>
    public static IReadOnlyList<OptionDescriptor> All { get; } =
    [
        new(CommonOptions.Connector, ConnectorId, "Must be rest-lookup."),
        new(CommonOptions.Columns, null, "The lookup table's columns in Flink type syntax; metadata columns use METADATA FROM 'key'. Required."),
        .. CommonOptions.Http,
        new(AsyncPolling, "false", "Accepted for compatibility. Lookups are always asynchronous; parallelism comes from the request thread-pool size."),
        new(LookupMethod, "GET", "HTTP method of lookup requests, any verb, case-insensitive."),
        new(QueryCreator, "generic-get-query for GET, generic-json-query otherwise", "How keys become the request: generic-get-query, generic-json-query or generic-json-url (http- prefixed names accepted)."),
        new(QueryParamFields, null, "generic-json-url: ';'-separated key columns sent as query parameters."),
        new(BodyFields, null, "generic-json-url: ';'-separated key columns sent in the JSON body (methods other than GET)."),
        new(UrlMap, null, "generic-json-url: column:placeholder pairs, comma-separated, filling {placeholder} or {{placeholder}} in the URL with percent-encoded values."),
        new(HeaderPrefix + "<Name>", null, "A request header. Authorization values not starting with 'Basic ' are Base64-encoded into Basic unless the raw option is set."),
        new(UseRawAuthorizationHeader, "false", "Send the Authorization header value as configured, without Basic encoding."),
        new(SuccessCodes, "2XX", "Status codes that carry a result: codes, classes such as 2XX, and !code exclusions."),
        new(RetryCodes, "500,503,504", "Status codes retried while retries remain; an error once they run out."),
        new(IgnoredResponseCodes, "", "Status codes that count as success with no result; the body is ignored."),
        new(ErrorCode, null, "Legacy: status codes treated as errors even when success codes include them."),
        new(ErrorCodeExclude, null, "Legacy: codes removed from lookup.error.code."),
        new(MaxRetries, "3", "Retries after the first attempt for connection failures, timeouts and retry codes; 0 disables retries."),
        new(RetryStrategyType, "fixed-delay", "fixed-delay or exponential-delay, case-insensitive."),
        new(FixedDelay, "1s", "Wait before each retry with fixed-delay (duration)."),
        new(InitialBackoff, "1s", "Wait before the first retry with exponential-delay (duration)."),
        new(MaxBackoff, "1min", "Longest wait between retries with exponential-delay (duration)."),
        new(BackoffMultiplier, "1.5", "Factor applied to the wait after each retry with exponential-delay."),
        new(RequestTimeout, "30s", "Timeout of each attempt (duration; a bare number is seconds)."),
        new(ConnectionTimeout, null, "Timeout for establishing a connection (duration; a bare number is seconds). Default: none."),
        new(HttpVersion, "HTTP_1_1", "HTTP_1_1 or HTTP_2. HTTP/2 over http:// uses prior knowledge, never an upgrade."),
        new(RequestThreadPoolSize, "8", "Maximum concurrent lookup requests per lookup join. Results keep input order, and elements wait in the join's buffer (a lookup's buffer-capacity)."),
        new(ResponseThreadPoolSize, "4", "Accepted for compatibility; responses are decoded on the request's own task."),
        new(ResultType, "single-value", "single-value (one object) or array (every element becomes a row)."),
        new(ContinueOnError, "false", "On a failed lookup emit no data (and the error in metadata columns) instead of failing the pipeline."),
        new(RequestCallback, "slf4j-lookup-logger", "Per-request callback: slf4j-lookup-logger (logs method, URL and status) or none."),
        new(Cache, "NONE", "NONE or PARTIAL (an LRU cache of results by key)."),
        new(CacheMaxRows, "10000", "PARTIAL cache: maximum number of cached keys."),
        new(CacheExpireAfterWrite, null, "PARTIAL cache: entry lifetime after it is written (duration)."),
        new(CacheExpireAfterAccess, null, "PARTIAL cache: entry lifetime after its last read (duration)."),
        new(CacheMissingKey, "true", "PARTIAL cache: also cache lookups that found no rows."),
        new(ProxyHost, null, "Proxy host name. Requires http.source.lookup.proxy.port."),
        new(ProxyPort, null, "Proxy port."),
        new(ProxyUsername, null, "Proxy user name, sent only to the proxy."),
        new(ProxyPassword, null, "Proxy password, sent only to the proxy.", IsSecret: true),
        new(UrlArgs, null, "Accepted for compatibility and ignored."),
        new(RequestFormat, "json", "Format of request bodies. Only json is supported."),
    ];
}
