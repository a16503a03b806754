namespace Connector.Actors.Http;

/// <summary>
/// Thread-safe counters of one connector instance, read by progress reports. Each counter only grows.
/// </summary>
public sealed class ConnectorMetrics
{
    private long _requests;
    private long _retries;
    private long _failures;
    private long _cacheHits;
    private long _cacheMisses;

    /// <summary>HTTP attempts sent, retries included.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Attempts that were retries of an earlier attempt.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests that failed for good: an error status, or retries ran out.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Lookups served from the cache.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    /// <summary>Lookups that missed the cache and went to the endpoint.</summary>
    public long CacheMisses => Interlocked.Read(ref _cacheMisses);

    internal void AddRequest() => Interlocked.Increment(ref _requests);

    internal void AddRetry() => Interlocked.Increment(ref _retries);

    internal void AddFailure() => Interlocked.Increment(ref _failures);

    internal void AddCacheHit() => Interlocked.Increment(ref _cacheHits);

    internal void AddCacheMiss() => Interlocked.Increment(ref _cacheMisses);
}
