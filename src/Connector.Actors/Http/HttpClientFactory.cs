using System.Net;

namespace Connector.Actors.Http;

/// <summary>Creates the pooled <see cref="HttpClient"/> of one table from its connection settings.</summary>
internal static class HttpClientFactory
{
    /// <summary>Creates a client whose timeouts are left to the caller's resilience pipeline.</summary>
    public static HttpClient Create(HttpClientSettings settings)
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

        return new HttpClient(handler, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = settings.RequestVersion,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}
