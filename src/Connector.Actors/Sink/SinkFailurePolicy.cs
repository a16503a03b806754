namespace Connector.Actors.Sink;

/// <summary>What happens to the rows of a request that still fails after its retries.</summary>
public enum SinkFailurePolicy
{
    /// <summary>The pipeline stops with an error naming the endpoint, the status and the row count.</summary>
    Fail,

    /// <summary>The rows are written to the dead-letter file with the reason, and the stream goes on.</summary>
    DeadLetter,

    /// <summary>The rows are logged and counted as dropped, and the stream goes on.</summary>
    Drop,
}
