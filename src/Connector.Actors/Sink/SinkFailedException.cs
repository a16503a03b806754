namespace Connector.Actors.Sink;

/// <summary>
/// Thrown when a sink stops because a request failed for good (on-failure = fail), or because a row could not be sent.
/// The message names the endpoint with credentials removed, the status and how many rows the request carried.
/// </summary>
public sealed class SinkFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SinkFailedException(string message, string table, int? statusCode, int rowCount, Exception? innerException = null)
        : base(message, innerException)
    {
        Table = table;
        StatusCode = statusCode;
        RowCount = rowCount;
    }

    /// <summary>The sink table.</summary>
    public string Table { get; }

    /// <summary>The last status code, or null when no response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>Rows carried by the failed request.</summary>
    public int RowCount { get; }

    /// <summary>The sink's counts when it stopped; set once the stream has ended.</summary>
    public SinkResult? Result { get; internal set; }
}
