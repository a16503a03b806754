namespace Connector.Actors.Sink;

/// <summary>
/// What happened to the rows a sink received. <c>Delivered + DeadLettered + Dropped + Failed == Received</c>.
/// </summary>
/// <param name="Received">Rows that entered the sink.</param>
/// <param name="Delivered">Rows acknowledged by the endpoint with a status that is not an error.</param>
/// <param name="Retried">Rows whose request needed at least one retry, whatever its final outcome.</param>
/// <param name="DeadLettered">Rows written to the dead-letter file.</param>
/// <param name="Dropped">Rows dropped after their request failed, with on-failure = drop.</param>
/// <param name="Failed">Rows neither delivered, dead-lettered nor dropped: the failed request's and those still buffered when the sink stopped.</param>
/// <param name="Requests">HTTP requests sent, retries included.</param>
public sealed record SinkResult(long Received, long Delivered, long Retried, long DeadLettered, long Dropped, long Failed, long Requests)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"received {Received}, delivered {Delivered}, retried {Retried}, dead-lettered {DeadLettered}, dropped {Dropped}, failed {Failed}, requests {Requests}";
}
