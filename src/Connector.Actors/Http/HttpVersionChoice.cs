namespace Connector.Actors.Http;

/// <summary>The HTTP version requests are sent with.</summary>
public enum HttpVersionChoice
{
    /// <summary>HTTP/1.1 only, with no upgrade attempt.</summary>
    Http11,

    /// <summary>HTTP/2 only: ALPN over TLS, prior knowledge over plain http.</summary>
    Http2,
}
