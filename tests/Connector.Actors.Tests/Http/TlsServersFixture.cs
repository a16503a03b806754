namespace Connector.Actors.Tests.Http;

/// <summary>Test certificates and the Kestrel HTTPS servers that use them, shared by the TLS test classes.</summary>
public sealed class TlsServersFixture : IAsyncLifetime
{
    private KestrelTlsServer? _caSignedServer;
    private KestrelTlsServer? _wrongHostServer;
    private KestrelTlsServer? _selfSignedServer;
    private KestrelTlsServer? _mutualTlsServer;

    public TlsTestCertificates Certificates { get; } = new();

    /// <summary>Server with a certificate for localhost and 127.0.0.1, signed by the test CA.</summary>
    public KestrelTlsServer CaSignedServer => _caSignedServer ?? throw NotStarted();

    /// <summary>Server with a certificate for wrong-host.example, signed by the test CA.</summary>
    public KestrelTlsServer WrongHostServer => _wrongHostServer ?? throw NotStarted();

    /// <summary>Server with a self-signed certificate for localhost and 127.0.0.1.</summary>
    public KestrelTlsServer SelfSignedServer => _selfSignedServer ?? throw NotStarted();

    /// <summary>
    /// Server with the CA-signed certificate for localhost that requires a client certificate issued by the test CA.
    /// </summary>
    public KestrelTlsServer MutualTlsServer => _mutualTlsServer ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        _caSignedServer = await KestrelTlsServer.StartAsync(Certificates.ServerCertificate);
        _wrongHostServer = await KestrelTlsServer.StartAsync(Certificates.WrongHostServerCertificate);
        _selfSignedServer = await KestrelTlsServer.StartAsync(Certificates.SelfSignedServerCertificate);
        _mutualTlsServer = await KestrelTlsServer.StartAsync(Certificates.ServerCertificate, Certificates.Ca);
    }

    public async Task DisposeAsync()
    {
        KestrelTlsServer?[] servers = [_caSignedServer, _wrongHostServer, _selfSignedServer, _mutualTlsServer];
        foreach (KestrelTlsServer? server in servers)
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Certificates.Dispose();
    }

    private static InvalidOperationException NotStarted()
    {
        return new InvalidOperationException("The TLS test servers have not been started.");
    }
}
