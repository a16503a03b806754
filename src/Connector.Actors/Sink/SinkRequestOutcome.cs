namespace Connector.Actors.Sink;

/// <summary>The final outcome of one sink request, passed to the request callback.</summary>
/// <param name="Method">The request method.</param>
/// <param name="Url">The URL with credentials removed.</param>
/// <param name="StatusCode">The last status, or null when no response arrived.</param>
/// <param name="Rows">Rows carried by the request.</param>
/// <param name="Attempts">Attempts made, the first included.</param>
/// <param name="Succeeded">True when the endpoint acknowledged the rows.</param>
/// <param name="Error">Why the request failed, or null.</param>
public sealed record SinkRequestOutcome(string Method, string Url, int? StatusCode, int Rows, int Attempts, bool Succeeded, string? Error);
