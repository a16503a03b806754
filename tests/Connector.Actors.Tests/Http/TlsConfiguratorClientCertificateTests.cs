using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Connector.Actors.Http;
using static Connector.Actors.Tests.Http.TlsTestCertificates;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// Mutual TLS with <see cref="TlsConfigurator"/> against a Kestrel server that requires client certificates.
/// </summary>
[Collection(TlsServersCollection.Name)]
public sealed class TlsConfiguratorClientCertificateTests
{
    private readonly TlsServersFixture _fixture;

    public TlsConfiguratorClientCertificateTests(TlsServersFixture fixture)
    {
        _fixture = fixture;
    }

    private TlsTestCertificates Certificates => _fixture.Certificates;

    [Theory]
    [InlineData(ClientRsaPem, ClientRsaKeyPkcs8Pem, ClientRsaSubject)]
    [InlineData(ClientRsaPem, ClientRsaKeyPkcs8Der, ClientRsaSubject)]
    [InlineData(ClientRsaPem, ClientRsaKeyPkcs1Pem, ClientRsaSubject)]
    [InlineData(ClientRsaPem, ClientRsaKeyPkcs1Der, ClientRsaSubject)]
    [InlineData(ClientRsaDer, ClientRsaKeyPkcs8Pem, ClientRsaSubject)]
    [InlineData(ClientRsaDerContentPem, ClientRsaKeyPemContentDer, ClientRsaSubject)]
    [InlineData(ClientEcPem, ClientEcKeySec1Pem, ClientEcSubject)]
    [InlineData(ClientEcPem, ClientEcKeyPkcs8Pem, ClientEcSubject)]
    public async Task MutualTls_ClientCertificate_Accepted(
        string certificateFile,
        string keyFile,
        string expectedSubject)
    {
        var options = new TlsOptions(
            [Certificates.PathOf(CaPem)],
            false,
            Certificates.PathOf(certificateFile),
            Certificates.PathOf(keyFile));

        string body = await _fixture.MutualTlsServer.GetAsync(options);

        Assert.Equal(expectedSubject, body);
    }

    [Fact]
    public async Task MutualTls_IntermediateInFile_Accepted()
    {
        var options = new TlsOptions(
            [Certificates.PathOf(CaPem)],
            false,
            Certificates.PathOf(ClientChainPem),
            Certificates.PathOf(ClientChainKeyPem));

        string body = await _fixture.MutualTlsServer.GetAsync(options);

        Assert.Equal(ClientChainSubject, body);
    }

    [Fact]
    public async Task MutualTls_IntermediateMissing_Rejected()
    {
        // The server trusts only the root CA, so without the intermediate CA certificate it cannot build the chain.
        var options = new TlsOptions(
            [Certificates.PathOf(CaPem)],
            false,
            Certificates.PathOf(ClientChainLeafPem),
            Certificates.PathOf(ClientChainKeyPem));

        await Assert.ThrowsAsync<HttpRequestException>(() => _fixture.MutualTlsServer.GetAsync(options));
    }

    [Fact]
    public void LoadClientCertificate_ChainReversed_Throws()
    {
        var exception = Assert.Throws<CryptographicException>(() => TlsConfigurator.LoadClientCertificate(
            Certificates.PathOf(ClientChainReversedPem), Certificates.PathOf(ClientChainKeyPem)));

        Assert.Contains("matches certificate 2", exception.Message);
        Assert.Contains("Put the client certificate first in the file", exception.Message);
    }

    [Fact]
    public void LoadCertificates_DerWithSecondCertificate_Throws()
    {
        var exception = Assert.Throws<CryptographicException>(
            () => TlsConfigurator.LoadCertificates(Certificates.PathOf(ClientChainConcatenatedDer)));

        Assert.Contains("data after its certificate", exception.Message);
        Assert.Contains("to one PEM file", exception.Message);
        Assert.Contains(ClientChainConcatenatedDer, exception.Message);
    }

    [Fact]
    public void LoadCertificates_DerWithLineBreak_Loads()
    {
        X509Certificate2Collection certificates = TlsConfigurator.LoadCertificates(Certificates.PathOf(ClientChainLeafDerWithNewLine));

        X509Certificate2 certificate = Assert.Single(certificates);
        Assert.Equal(ClientChainSubject, certificate.Subject);
        certificate.Dispose();
    }

    [Fact]
    public void Apply_ClientCertificateChain_SetsContextWithIntermediate()
    {
        using var handler = new SocketsHttpHandler();
        var options = new TlsOptions(
            [],
            false,
            Certificates.PathOf(ClientChainPem),
            Certificates.PathOf(ClientChainKeyPem));

        TlsConfigurator.Apply(handler, options);

        Assert.Null(handler.SslOptions.ClientCertificates);
        Assert.NotNull(handler.SslOptions.ClientCertificateContext);
        Assert.Equal(ClientChainSubject, handler.SslOptions.ClientCertificateContext.TargetCertificate.Subject);
        Assert.True(handler.SslOptions.ClientCertificateContext.TargetCertificate.HasPrivateKey);
    }

    [Fact]
    public async Task MutualTls_NoClientCertificate_Rejected()
    {
        var options = new TlsOptions([Certificates.PathOf(CaPem)], false, null, null);

        await Assert.ThrowsAsync<HttpRequestException>(() => _fixture.MutualTlsServer.GetAsync(options));
    }

    [Fact]
    public void Apply_ClientCertificate_SetsCertificateWithKey()
    {
        using var handler = new SocketsHttpHandler();
        var options = new TlsOptions(
            [],
            false,
            Certificates.PathOf(ClientRsaPem),
            Certificates.PathOf(ClientRsaKeyPkcs1Pem));

        TlsConfigurator.Apply(handler, options);

        Assert.NotNull(handler.SslOptions.ClientCertificates);
        X509Certificate certificate = Assert.Single(handler.SslOptions.ClientCertificates.Cast<X509Certificate>());
        var certificate2 = Assert.IsType<X509Certificate2>(certificate);
        Assert.True(certificate2.HasPrivateKey);
        Assert.Equal(ClientRsaSubject, certificate2.Subject);
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void LoadClientCertificate_MismatchedKey_Throws()
    {
        string certificatePath = Certificates.PathOf(ClientRsaPem);
        string keyPath = Certificates.PathOf(ServerKeyPkcs8Pem);

        CryptographicException exception = Assert.Throws<CryptographicException>(
            () => TlsConfigurator.LoadClientCertificate(certificatePath, keyPath));

        Assert.Contains("does not match", exception.Message, StringComparison.Ordinal);
        Assert.Contains(certificatePath, exception.Message, StringComparison.Ordinal);
        Assert.Contains(keyPath, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadClientCertificate_EncryptedKey_ThrowsNamingPath()
    {
        string keyPath = Certificates.PathOf(ClientRsaKeyEncryptedPkcs8Pem);

        CryptographicException exception = Assert.Throws<CryptographicException>(
            () => TlsConfigurator.LoadClientCertificate(Certificates.PathOf(ClientRsaPem), keyPath));

        Assert.Contains(keyPath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("must be unencrypted", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadCertificates_Bundle_ReturnsEveryCertificate()
    {
        X509Certificate2Collection certificates = TlsConfigurator.LoadCertificates(Certificates.PathOf(BundlePem));

        Assert.Equal(2, certificates.Count);
        Assert.Equal("CN=HttpActors Unrelated CA", certificates[0].Subject);
        Assert.Equal(Certificates.Ca.Subject, certificates[1].Subject);
    }

    [Fact]
    public void LoadCertificates_Der_ReturnsOneCertificate()
    {
        X509Certificate2Collection certificates = TlsConfigurator.LoadCertificates(Certificates.PathOf(CaDer));

        X509Certificate2 certificate = Assert.Single(certificates);
        Assert.Equal(Certificates.Ca.Thumbprint, certificate.Thumbprint);
    }
}
