namespace Connector.Actors.Http;

/// <summary>Everything needed to build a fresh request for each attempt.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The full request URL.</param>
/// <param name="Body">The JSON body, or null for no body.</param>
/// <param name="RowCount">Rows the request carries, for logs and callbacks.</param>
/// <param name="StatusOnly">
/// True when the caller acts on the status alone, as the sink does, so a response whose body cannot be read still
/// counts with its status.
/// </param>
internal sealed record OutgoingRequest(HttpMethod Method, Uri Uri, ReadOnlyMemory<byte>? Body, int RowCount = 1, bool StatusOnly = false);
