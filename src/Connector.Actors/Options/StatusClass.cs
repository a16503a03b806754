namespace Connector.Actors.Options;

/// <summary>
/// Outcome of a lookup response, chosen from its HTTP status code.
/// </summary>
internal enum StatusClass
{
    /// <summary>The response succeeded and its body is used.</summary>
    Success,

    /// <summary>The response counts as successful, but its body is ignored.</summary>
    Ignored,

    /// <summary>The response is a transient error, so the request may be retried.</summary>
    Retry,

    /// <summary>The response is an error that is not retried.</summary>
    Error,
}
