using System.Net;

namespace Connector.Actors.Http;

/// <summary>Creates the connection pool of one table, and the clients that send through it, from its connection settings.</summary>
internal static class HttpClientFactory
{
    /// <summary>Creates the handler that owns the table's connection pool, proxy and TLS settings.</summary>
    public static SocketsHttpHandler CreateHandler(HttpClientSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = settings.MaxConnections,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            AllowAutoRedirect = true,

            // Environment proxies are ignored so that only a configured proxy ever receives requests or credentials.
            UseProxy = settings.Proxy is not null,
            UseCookies = false,
        };

        if (settings.ConnectTimeout is { } connectTimeout)
        {
            handler.ConnectTimeout = connectTimeout;
        }

        if (settings.Proxy is { } proxy)
        {
            var webProxy = new WebProxy(proxy.Host, proxy.Port) { BypassProxyOnLocal = false };
            if (proxy.Username is not null)
            {
                webProxy.Credentials = new NetworkCredential(proxy.Username, proxy.Password ?? string.Empty);
            }

            handler.Proxy = webProxy;
        }

        TlsConfigurator.Apply(handler, settings.Tls);
        return handler;
    }

    /// <summary>
    /// Creates a client over <paramref name="handler"/>, which the caller disposes, and leaves timeouts to the caller.
    /// </summary>
    public static HttpClient CreateClient(HttpMessageHandler handler, HttpClientSettings settings) =>
        new(handler, disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = settings.RequestVersion,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
}
