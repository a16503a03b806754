using System.Globalization;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using WireMock.Logging;
using static Connector.Actors.Tests.Http.ConnectorRuns;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// Lookups and sinks through real tinyproxy instances on 127.0.0.1, to HTTP and HTTPS targets on 127.0.0.1.
/// </summary>
public sealed class ProxyTests : IClassFixture<ProxyFixture>
{
    private const string WrongPassword = "wrong-password";

    private readonly ProxyFixture _fixture;

    public ProxyTests(ProxyFixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>
    /// Credentials that the authenticating proxy rejects, and its status code. tinyproxy 1.11.1 responds to missing
    /// credentials with 407, but to wrong ones with 401 and a WWW-Authenticate challenge.
    /// </summary>
    public static TheoryData<string?, string?, int> RejectedCredentials => new()
    {
        { null, null, 407 },
        { ProxyFixture.ProxyUsername, WrongPassword, 401 },
        { "another-user", ProxyFixture.ProxyPassword, 401 },
    };

    [Fact]
    public async Task Lookup_OpenProxy_ForwardsRequest()
    {
        string path = UniquePath("/customers");
        string url = HttpUrl(path);

        Row row = await LookupAsync(LookupThrough(_fixture.OpenProxy, url), _fixture.Materializer);

        Assert.Equal(ProxyFixture.TargetMessage, row["msg"]);
        ILogEntry received = Assert.Single(HttpTargetRequests(path));
        Assert.Contains("tinyproxy", HeaderOf(received, "Via"), StringComparison.Ordinal);
        Assert.Contains($"GET {url}?id=1 HTTP/1.1", _fixture.OpenProxy.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sink_OpenProxy_ForwardsRequest()
    {
        string path = UniquePath("/orders");
        string url = HttpUrl(path);

        var result = await SinkAsync(SinkThrough(_fixture.OpenProxy, url), _fixture.Materializer);

        Assert.Equal(2, result.Delivered);
        ILogEntry received = Assert.Single(HttpTargetRequests(path));
        Assert.Contains("tinyproxy", HeaderOf(received, "Via"), StringComparison.Ordinal);
        Assert.Contains($"POST {url} HTTP/1.1", _fixture.OpenProxy.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_AuthenticatingProxy_CredentialsStayAtProxy()
    {
        string path = UniquePath("/customers");
        string url = HttpUrl(path);
        var options = LookupThrough(
            _fixture.AuthenticatingProxy,
            url,
            ProxyFixture.ProxyUsername,
            ProxyFixture.ProxyPassword);

        Row row = await LookupAsync(options, _fixture.Materializer);

        Assert.Equal(ProxyFixture.TargetMessage, row["msg"]);
        ILogEntry received = Assert.Single(HttpTargetRequests(path));
        Assert.Contains("tinyproxy", HeaderOf(received, "Via"), StringComparison.Ordinal);
        Assert.Null(HeaderOf(received, "Proxy-Authorization"));
        Assert.Null(HeaderOf(received, "Authorization"));
        Assert.Contains($"GET {url}?id=1 HTTP/1.1", _fixture.AuthenticatingProxy.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sink_AuthenticatingProxy_CredentialsStayAtProxy()
    {
        string path = UniquePath("/orders");
        string url = HttpUrl(path);
        var options = SinkThrough(
            _fixture.AuthenticatingProxy,
            url,
            ProxyFixture.ProxyUsername,
            ProxyFixture.ProxyPassword);

        var result = await SinkAsync(options, _fixture.Materializer);

        Assert.Equal(2, result.Delivered);
        ILogEntry received = Assert.Single(HttpTargetRequests(path));
        Assert.Contains("tinyproxy", HeaderOf(received, "Via"), StringComparison.Ordinal);
        Assert.Null(HeaderOf(received, "Proxy-Authorization"));
        Assert.Null(HeaderOf(received, "Authorization"));
        Assert.Contains($"POST {url} HTTP/1.1", _fixture.AuthenticatingProxy.ReadLog(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RejectedCredentials))]
    public async Task Lookup_AuthenticatingProxy_Rejects(string? username, string? password, int expectedStatus)
    {
        string path = UniquePath("/customers");
        var options = LookupThrough(_fixture.AuthenticatingProxy, HttpUrl(path), username, password);

        var failure = await LookupFailureAsync(options, _fixture.Materializer);

        Assert.Equal(expectedStatus, failure.StatusCode);
        Assert.Contains($"status {expectedStatus}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"table '{LookupTable}'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyFixture.ProxyPassword, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, failure.Message, StringComparison.Ordinal);
        Assert.Empty(HttpTargetRequests(path));
    }

    [Theory]
    [MemberData(nameof(RejectedCredentials))]
    public async Task Sink_AuthenticatingProxy_Rejects(string? username, string? password, int expectedStatus)
    {
        string path = UniquePath("/orders");
        var options = SinkThrough(_fixture.AuthenticatingProxy, HttpUrl(path), username, password);

        var failure = await SinkFailureAsync(options, _fixture.Materializer);

        Assert.Equal(expectedStatus, failure.StatusCode);
        Assert.Contains($"status {expectedStatus}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"table '{SinkTable}'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyFixture.ProxyPassword, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, failure.Message, StringComparison.Ordinal);
        Assert.Empty(HttpTargetRequests(path));
    }

    [Fact]
    public async Task Lookup_HttpsTarget_TunnelsThroughProxy()
    {
        string path = UniquePath(KestrelTlsServer.LookupPath);
        var options = LookupThrough(
            _fixture.AuthenticatingProxy,
            HttpsUrl(path),
            ProxyFixture.ProxyUsername,
            ProxyFixture.ProxyPassword);
        options[CommonOptions.CertServer] = _fixture.Certificates.PathOf(TlsTestCertificates.CaPem);

        Row row = await LookupAsync(options, _fixture.Materializer);

        Assert.Equal(KestrelTlsServer.NoClientCertificate, row["msg"]);
        ReceivedRequest received = Assert.Single(_fixture.HttpsTarget.RequestsTo(path));
        Assert.False(received.Headers.ContainsKey("Proxy-Authorization"));
        Assert.False(received.Headers.ContainsKey("Authorization"));
        Assert.Contains(
            $"CONNECT 127.0.0.1:{_fixture.HttpsTarget.Address.Port} HTTP/1.1",
            _fixture.AuthenticatingProxy.ReadLog(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sink_HttpsTarget_TunnelsThroughProxy()
    {
        string path = UniquePath("/orders");
        var options = SinkThrough(
            _fixture.AuthenticatingProxy,
            HttpsUrl(path),
            ProxyFixture.ProxyUsername,
            ProxyFixture.ProxyPassword);
        options[CommonOptions.CertServer] = _fixture.Certificates.PathOf(TlsTestCertificates.CaPem);

        var result = await SinkAsync(options, _fixture.Materializer);

        Assert.Equal(2, result.Delivered);
        ReceivedRequest received = Assert.Single(_fixture.HttpsTarget.RequestsTo(path));
        Assert.Equal("POST", received.Method);
        Assert.False(received.Headers.ContainsKey("Proxy-Authorization"));
        Assert.False(received.Headers.ContainsKey("Authorization"));
        Assert.Contains(
            $"CONNECT 127.0.0.1:{_fixture.HttpsTarget.Address.Port} HTTP/1.1",
            _fixture.AuthenticatingProxy.ReadLog(),
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RejectedCredentials))]
    public async Task Lookup_HttpsAuthenticatingProxy_Rejects(string? username, string? password, int expectedStatus)
    {
        string path = UniquePath(KestrelTlsServer.LookupPath);
        var options = LookupThrough(_fixture.AuthenticatingProxy, HttpsUrl(path), username, password);
        options[CommonOptions.CertServer] = _fixture.Certificates.PathOf(TlsTestCertificates.CaPem);

        var failure = await LookupFailureAsync(options, _fixture.Materializer);

        // The proxy rejects the CONNECT request, so no response from the target arrives.
        Assert.Null(failure.StatusCode);
        Assert.Contains($"'{expectedStatus}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{_fixture.AuthenticatingProxy.Port}", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyFixture.ProxyPassword, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, failure.Message, StringComparison.Ordinal);
        Assert.Empty(_fixture.HttpsTarget.RequestsTo(path));
    }

    [Fact]
    public async Task Lookup_TargetChallenge_GetsNoProxyCredentials()
    {
        string path = UniquePath(ProxyFixture.ProtectedPath);
        var options = LookupThrough(
            _fixture.AuthenticatingProxy,
            HttpUrl(path),
            ProxyFixture.ProxyUsername,
            ProxyFixture.ProxyPassword);

        var failure = await LookupFailureAsync(options, _fixture.Materializer);

        Assert.Equal(401, failure.StatusCode);
        ILogEntry received = Assert.Single(HttpTargetRequests(path));
        Assert.Null(HeaderOf(received, "Authorization"));
        Assert.Null(HeaderOf(received, "Proxy-Authorization"));
    }

    [Fact]
    public async Task Lookup_ProxyDown_NeverGoesDirect()
    {
        string path = UniquePath("/customers");
        var options = LookupTableOptions(HttpUrl(path));
        options[LookupOptions.ProxyHost] = "127.0.0.1";
        options[LookupOptions.ProxyPort] = ClosedPort();

        var failure = await LookupFailureAsync(options, _fixture.Materializer);

        Assert.Null(failure.StatusCode);
        Assert.Contains("no response", failure.Message, StringComparison.Ordinal);
        Assert.Empty(HttpTargetRequests(path));
    }

    [Fact]
    public async Task Sink_ProxyDown_NeverGoesDirect()
    {
        string path = UniquePath("/orders");
        var options = SinkTableOptions(HttpUrl(path));
        options[SinkOptions.ProxyHost] = "127.0.0.1";
        options[SinkOptions.ProxyPort] = ClosedPort();

        var failure = await SinkFailureAsync(options, _fixture.Materializer);

        Assert.Null(failure.StatusCode);
        Assert.Contains("no response", failure.Message, StringComparison.Ordinal);
        Assert.Empty(HttpTargetRequests(path));
    }

    private static string UniquePath(string prefix)
    {
        return $"{prefix}/{Guid.NewGuid():N}";
    }

    private static string ClosedPort()
    {
        return Tests.Sink.SinkTestData.ClosedPort().ToString(CultureInfo.InvariantCulture);
    }

    private static string? HeaderOf(ILogEntry entry, string name)
    {
        var headers = entry.RequestMessage.Headers;
        if (headers is null)
        {
            return null;
        }

        foreach (var (key, values) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return string.Join(", ", values);
            }
        }

        return null;
    }

    private static Dictionary<string, string> LookupThrough(
        TinyproxyServer proxy,
        string url,
        string? username = null,
        string? password = null)
    {
        var options = LookupTableOptions(url);
        options[LookupOptions.ProxyHost] = "127.0.0.1";
        options[LookupOptions.ProxyPort] = proxy.Port.ToString(CultureInfo.InvariantCulture);
        AddIfSet(options, LookupOptions.ProxyUsername, username);
        AddIfSet(options, LookupOptions.ProxyPassword, password);
        return options;
    }

    private static Dictionary<string, string> SinkThrough(
        TinyproxyServer proxy,
        string url,
        string? username = null,
        string? password = null)
    {
        var options = SinkTableOptions(url);
        options[SinkOptions.ProxyHost] = "127.0.0.1";
        options[SinkOptions.ProxyPort] = proxy.Port.ToString(CultureInfo.InvariantCulture);
        AddIfSet(options, SinkOptions.ProxyUsername, username);
        AddIfSet(options, SinkOptions.ProxyPassword, password);
        return options;
    }

    private static void AddIfSet(Dictionary<string, string> options, string name, string? value)
    {
        if (value is not null)
        {
            options[name] = value;
        }
    }

    private string HttpUrl(string path)
    {
        return $"http://127.0.0.1:{_fixture.HttpTarget.Port}{path}";
    }

    private string HttpsUrl(string path)
    {
        return $"https://127.0.0.1:{_fixture.HttpsTarget.Address.Port}{path}";
    }

    private IReadOnlyList<ILogEntry> HttpTargetRequests(string path)
    {
        return _fixture.HttpTarget.LogEntries.Where(entry => entry.RequestMessage.Path == path).ToList();
    }
}
