using System.Security.Authentication;
using Connector.Actors.Http;
using static Connector.Actors.Tests.Http.TlsTestCertificates;

namespace Connector.Actors.Tests.Http;

/// <summary>Server certificate checks of <see cref="TlsConfigurator.Apply"/> against Kestrel HTTPS servers.</summary>
[Collection(TlsServersCollection.Name)]
public sealed class TlsConfiguratorServerTrustTests
{
    private readonly TlsServersFixture _fixture;

    public TlsConfiguratorServerTrustTests(TlsServersFixture fixture)
    {
        _fixture = fixture;
    }

    private TlsTestCertificates Certificates => _fixture.Certificates;

    [Fact]
    public void Apply_NoOptions_KeepsSystemTrust()
    {
        using var handler = new SocketsHttpHandler();

        TlsConfigurator.Apply(handler, TlsOptions.None);

        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
        Assert.Null(handler.SslOptions.ClientCertificates);
    }

    [Fact]
    public async Task CaSignedServer_NoOptions_Rejected()
    {
        await AssertRejectedAsync(_fixture.CaSignedServer, TlsOptions.None);
    }

    [Theory]
    [InlineData(CaPem)]
    [InlineData(CaDer)]
    [InlineData(ServerPem)]
    [InlineData(BundlePem)]
    public async Task CaSignedServer_TrustedFile_Accepted(string trustedFile)
    {
        TlsOptions options = Trusting(trustedFile);

        string body = await _fixture.CaSignedServer.GetAsync(options);

        Assert.Equal(KestrelTlsServer.NoClientCertificate, body);
    }

    [Fact]
    public async Task CaSignedServer_UnrelatedCaTrusted_Rejected()
    {
        await AssertRejectedAsync(_fixture.CaSignedServer, Trusting(UnrelatedCaPem));
    }

    [Fact]
    public async Task CaSignedServer_BlankPathItems_Skipped()
    {
        string value = $" , {Certificates.PathOf(CaPem)},,";
        var options = new TlsOptions(TlsOptions.SplitPaths(value), false, null, null);

        string body = await _fixture.CaSignedServer.GetAsync(options);

        Assert.Equal(KestrelTlsServer.NoClientCertificate, body);
    }

    [Fact]
    public async Task WrongHostServer_CaTrusted_Rejected()
    {
        await AssertRejectedAsync(_fixture.WrongHostServer, Trusting(CaPem));
    }

    [Fact]
    public async Task WrongHostServer_Pinned_Rejected()
    {
        var options = new TlsOptions(
            [Certificates.PathOf(CaPem), Certificates.PathOf(WrongHostServerPem)],
            false,
            null,
            null);

        await AssertRejectedAsync(_fixture.WrongHostServer, options);
    }

    [Fact]
    public async Task WrongHostServer_AllowSelfSigned_Accepted()
    {
        var options = new TlsOptions([], AllowSelfSigned: true, null, null);

        string body = await _fixture.WrongHostServer.GetAsync(options);

        Assert.Equal(KestrelTlsServer.NoClientCertificate, body);
    }

    [Fact]
    public async Task SelfSignedServer_NoOptions_Rejected()
    {
        await AssertRejectedAsync(_fixture.SelfSignedServer, TlsOptions.None);
    }

    [Fact]
    public async Task SelfSignedServer_CaTrusted_Rejected()
    {
        await AssertRejectedAsync(_fixture.SelfSignedServer, Trusting(CaPem));
    }

    [Fact]
    public async Task SelfSignedServer_AllowSelfSigned_Accepted()
    {
        var options = new TlsOptions([], AllowSelfSigned: true, null, null);

        string body = await _fixture.SelfSignedServer.GetAsync(options);

        Assert.Equal(KestrelTlsServer.NoClientCertificate, body);
    }

    [Fact]
    public async Task SelfSignedServer_Pinned_Accepted()
    {
        string body = await _fixture.SelfSignedServer.GetAsync(Trusting(SelfSignedServerPem));

        Assert.Equal(KestrelTlsServer.NoClientCertificate, body);
    }

    private static async Task AssertRejectedAsync(KestrelTlsServer server, TlsOptions options)
    {
        HttpRequestException exception = await Assert.ThrowsAsync<HttpRequestException>(() => server.GetAsync(options));

        Assert.IsType<AuthenticationException>(exception.InnerException);
    }

    private TlsOptions Trusting(string fileName)
    {
        return new TlsOptions([Certificates.PathOf(fileName)], false, null, null);
    }
}
