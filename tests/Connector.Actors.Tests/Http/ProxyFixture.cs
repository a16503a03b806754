using Akka.Actor;
using Akka.Streams;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// Two tinyproxy instances on 127.0.0.1, one open and one that requires Basic authentication, with an HTTP WireMock
/// target and an HTTPS Kestrel target behind them, and an actor system to run the connectors in.
/// </summary>
public sealed class ProxyFixture : IAsyncLifetime
{
    public const string ProxyUsername = "proxy-user";
    public const string ProxyPassword = "proxy-secret-7";

    /// <summary>The <c>msg</c> column of every lookup row that the HTTP target returns.</summary>
    public const string TargetMessage = "from the http target";

    /// <summary>Path prefix under which the HTTP target responds with 401 and a Basic challenge.</summary>
    public const string ProtectedPath = "/protected";

    private TinyproxyServer? _openProxy;
    private TinyproxyServer? _authenticatingProxy;
    private KestrelTlsServer? _httpsTarget;
    private WireMockServer? _httpTarget;
    private TlsTestCertificates? _certificates;
    private ActorSystem? _system;
    private ActorMaterializer? _materializer;

    /// <summary>A proxy that forwards every request from 127.0.0.1 without authentication.</summary>
    public TinyproxyServer OpenProxy => _openProxy ?? throw NotStarted();

    /// <summary>A proxy that responds with 407 unless the request has <see cref="ProxyUsername"/> credentials.</summary>
    public TinyproxyServer AuthenticatingProxy => _authenticatingProxy ?? throw NotStarted();

    /// <summary>
    /// HTTP target that responds to <c>/customers/*</c> with a lookup row, to <c>/orders/*</c> with 200 and to
    /// <see cref="ProtectedPath"/> with 401.
    /// </summary>
    public WireMockServer HttpTarget => _httpTarget ?? throw NotStarted();

    /// <summary>HTTPS target with a certificate for 127.0.0.1 signed by the test CA.</summary>
    public KestrelTlsServer HttpsTarget => _httpsTarget ?? throw NotStarted();

    public TlsTestCertificates Certificates => _certificates ?? throw NotStarted();

    public IMaterializer Materializer => _materializer ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        // Without tinyproxy every test fails with the installation hint, before any server starts.
        TinyproxyServer.FindExecutable();

        _certificates = new TlsTestCertificates();
        _httpsTarget = await KestrelTlsServer.StartAsync(_certificates.ServerCertificate);
        int httpsPort = _httpsTarget.Address.Port;
        _openProxy = await TinyproxyServer.StartAsync(httpsPort);
        _authenticatingProxy = await TinyproxyServer.StartAsync(httpsPort, ProxyUsername, ProxyPassword);

        _httpTarget = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        _httpTarget
            .Given(Request.Create().WithPath(new WildcardMatcher("/customers/*")).UsingGet())
            .RespondWith(Response.Create()
                .WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"msg\": \"{TargetMessage}\"}}"));
        _httpTarget
            .Given(Request.Create().WithPath(new WildcardMatcher("/orders/*")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200));
        _httpTarget
            .Given(Request.Create().WithPath(new WildcardMatcher(ProtectedPath + "/*")))
            .RespondWith(Response.Create()
                .WithStatusCode(401)
                .WithHeader("WWW-Authenticate", "Basic realm=\"target\""));

        _system = ActorSystem.Create("proxy-tests");
        _materializer = _system.Materializer();
    }

    public async Task DisposeAsync()
    {
        _materializer?.Dispose();
        if (_system is not null)
        {
            await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _httpTarget?.Stop();
        _httpTarget?.Dispose();
        _openProxy?.Dispose();
        _authenticatingProxy?.Dispose();
        if (_httpsTarget is not null)
        {
            await _httpsTarget.DisposeAsync();
        }

        _certificates?.Dispose();
    }

    private static InvalidOperationException NotStarted()
    {
        return new InvalidOperationException("The proxy test servers have not been started.");
    }
}
