namespace Connector.Actors.Http;

/// <summary>Thrown when one attempt of a request runs past the table's request timeout; the attempt is retried.</summary>
internal sealed class AttemptTimeoutException(TimeSpan timeout, Exception innerException)
    : TimeoutException($"The attempt timed out after {timeout.TotalMilliseconds:0} ms.", innerException)
{
    public TimeSpan Timeout { get; } = timeout;
}
