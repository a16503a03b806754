namespace Connector.Actors.Lookup;

/// <summary>
/// Thrown when a lookup fails for good and the table does not continue on errors. The message names the table,
/// the method, the URL with credentials removed, the status and a short body excerpt.
/// </summary>
public sealed class LookupFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LookupFailedException(string table, string method, string url, int? statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Table = table;
        Method = method;
        Url = url;
        StatusCode = statusCode;
    }

    /// <summary>The lookup table.</summary>
    public string Table { get; }

    /// <summary>The request method.</summary>
    public string Method { get; }

    /// <summary>The request URL with credentials removed.</summary>
    public string Url { get; }

    /// <summary>The last status code, or null when no response arrived.</summary>
    public int? StatusCode { get; }
}
