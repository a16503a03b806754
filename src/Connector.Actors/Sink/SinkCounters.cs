namespace Connector.Actors.Sink;

/// <summary>Live, thread-safe counts of a sink, readable while it runs.</summary>
public sealed class SinkCounters
{
    private long _received;
    private long _delivered;
    private long _retried;
    private long _deadLettered;
    private long _dropped;
    private long _failedRequests;
    private long _failedRows;
    private long _callbackErrors;

    /// <summary>Rows that entered the sink.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Rows acknowledged by the endpoint.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Rows whose request needed a retry.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    /// <summary>Rows written to the dead-letter file.</summary>
    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Rows dropped after a failed request.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Requests that failed for good.</summary>
    public long FailedRequests => Interlocked.Read(ref _failedRequests);

    /// <summary>Exceptions thrown by the request callback, which are logged and counted but never stop the sink.</summary>
    public long CallbackErrors => Interlocked.Read(ref _callbackErrors);

    internal void AddReceived() => Interlocked.Increment(ref _received);

    internal void AddDelivered(int rows) => Interlocked.Add(ref _delivered, rows);

    internal void AddRetried(int rows) => Interlocked.Add(ref _retried, rows);

    internal void AddDeadLettered(int rows) => Interlocked.Add(ref _deadLettered, rows);

    internal void AddDropped(int rows) => Interlocked.Add(ref _dropped, rows);

    internal void AddFailedRequest(int rows)
    {
        Interlocked.Increment(ref _failedRequests);
        Interlocked.Add(ref _failedRows, rows);
    }

    internal void AddCallbackError() => Interlocked.Increment(ref _callbackErrors);

    /// <summary>Returns the counts; rows not yet settled count as failed, so call it once the sink has stopped.</summary>
    public SinkResult Snapshot(long requests)
    {
        var received = Received;
        var settled = Delivered + DeadLettered + Dropped;
        return new SinkResult(received, Delivered, Retried, DeadLettered, Dropped, Math.Max(0, received - settled), requests);
    }
}
