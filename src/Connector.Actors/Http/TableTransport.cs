using Akka.Actor;
using Connector.Actors.Auth;
using Connector.Actors.Cluster;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Http;

/// <summary>
/// The HTTP side of one table, shared by lookups and sinks: its connection pool, its token provider, its endpoint gate
/// and the sender that retries through them. Creating it sends nothing.
/// </summary>
internal sealed partial class TableTransport : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpMessageInvoker _invoker;
    private readonly CancellationTokenSource _shutdown;

    private TableTransport(
        SocketsHttpHandler handler, HttpClient client, HttpMessageInvoker invoker, CancellationTokenSource shutdown, ResilientSender sender)
    {
        _handler = handler;
        _invoker = invoker;
        _shutdown = shutdown;
        Client = client;
        Sender = sender;
    }

    /// <summary>The client of the OIDC token requests, which shares the table's connection pool.</summary>
    public HttpClient Client { get; }

    public ResilientSender Sender { get; }

    /// <summary>Creates the transport and logs a warning when the table accepts any server certificate.</summary>
    public static TableTransport Create(
        string tableName,
        HttpClientSettings clientSettings,
        RequestHeaders headers,
        OidcSettings? oidc,
        EndpointSettings endpoint,
        RetrySettings retry,
        Func<int, bool> isRetryStatus,
        TimeSpan requestTimeout,
        bool honourRetryAfter,
        HttpLoggingLevel loggingLevel,
        ILogger logger,
        TimeProvider time,
        ConnectorMetrics metrics,
        ActorSystem? system)
    {
        var handler = HttpClientFactory.CreateHandler(clientSettings);
        var client = HttpClientFactory.CreateClient(handler, clientSettings);

        // Data requests skip HttpClient, which links a new cancellation source to every request whose token can be
        // cancelled. The sender bounds each attempt with a timeout of its own, and the shutdown source cancels it.
        var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        var shutdown = new CancellationTokenSource();
        var sender = new ResilientSender(
            invoker,
            clientSettings.RequestVersion,
            headers,
            EndpointServices.Authorization(oidc, endpoint, client, requestTimeout, time, system),
            retry,
            isRetryStatus,
            requestTimeout,
            honourRetryAfter,
            time,
            metrics,
            new HttpExchangeLogger(logger, loggingLevel, tableName),
            EndpointServices.Gate(endpoint, system),
            shutdown.Token);
        if (clientSettings.Tls.AllowSelfSigned)
        {
            LogSelfSignedWarning(logger, tableName);
        }

        return new TableTransport(handler, client, invoker, shutdown, sender);
    }

    /// <summary>Cancels the requests in flight for good: a request that starts later fails at once.</summary>
    public void CancelRequests() => _shutdown.Cancel();

    /// <summary>Cancels the requests in flight, then disposes the clients and the connection pool that they share.</summary>
    public void Dispose()
    {
        // The source stays undisposed, so that a request that starts later still finds it cancelled.
        CancelRequests();
        Client.Dispose();
        _invoker.Dispose();
        _handler.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Table}: http.security.cert.server.allowSelfSigned is true, so any server certificate is accepted; use it for development only")]
    private static partial void LogSelfSignedWarning(ILogger logger, string table);
}
