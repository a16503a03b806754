namespace Connector.Actors.Http;

/// <summary>How a table's connection pool connects: timeouts, HTTP version, TLS and proxy.</summary>
internal sealed record HttpClientSettings(
    TimeSpan? ConnectTimeout,
    HttpVersionChoice Version,
    TlsOptions Tls,
    ProxyOptions? Proxy,
    int MaxConnections)
{
    /// <summary>Settings with no TLS options, no proxy and HTTP/1.1.</summary>
    public static HttpClientSettings Default { get; } =
        new(null, HttpVersionChoice.Http11, TlsOptions.None, null, int.MaxValue);

    /// <summary>The request version sent.</summary>
    public Version RequestVersion => Version == HttpVersionChoice.Http2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11;
}
