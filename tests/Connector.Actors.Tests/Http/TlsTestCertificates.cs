using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// Test CA, server and client certificates, generated in memory and written as PEM and DER files to a temp folder.
/// </summary>
public sealed class TlsTestCertificates : IDisposable
{
    public const string CaPem = "ca.pem";
    public const string CaDer = "ca.der";
    public const string UnrelatedCaPem = "unrelated-ca.pem";

    /// <summary>An unrelated CA certificate followed by the test CA certificate.</summary>
    public const string BundlePem = "bundle.pem";

    /// <summary>The CA-signed server certificate without its key, for pinning.</summary>
    public const string ServerPem = "server.pem";
    public const string ServerKeyPkcs8Pem = "server-key-pkcs8.pem";
    public const string WrongHostServerPem = "wrong-host-server.pem";
    public const string SelfSignedServerPem = "self-signed-server.pem";

    public const string ClientRsaPem = "client-rsa.pem";
    public const string ClientRsaDer = "client-rsa.der";

    /// <summary>The DER client certificate under a PEM file name, to check that the content sets the format.</summary>
    public const string ClientRsaDerContentPem = "client-rsa-der-content.pem";
    public const string ClientRsaKeyPkcs8Pem = "client-rsa-key-pkcs8.pem";
    public const string ClientRsaKeyPkcs8Der = "client-rsa-key-pkcs8.der";

    /// <summary>The PKCS#8 PEM client key under a DER file name, to check that the content sets the format.</summary>
    public const string ClientRsaKeyPemContentDer = "client-rsa-key-pem-content.der";
    public const string ClientRsaKeyPkcs1Pem = "client-rsa-key-pkcs1.pem";
    public const string ClientRsaKeyPkcs1Der = "client-rsa-key-pkcs1.der";
    public const string ClientRsaKeyEncryptedPkcs8Pem = "client-rsa-key-encrypted-pkcs8.pem";
    public const string ClientRsaKeyEncryptedPkcs8Der = "client-rsa-key-encrypted-pkcs8.der";

    /// <summary>A PKCS#1 block with OpenSSL's legacy "Proc-Type: 4,ENCRYPTED" headers and random content.</summary>
    public const string LegacyEncryptedKeyPem = "legacy-encrypted-key.pem";

    /// <summary>An "OPENSSH PRIVATE KEY" block with random content.</summary>
    public const string OpenSshKeyPem = "openssh-key.pem";

    /// <summary>A client certificate issued by an intermediate CA, followed by that CA's certificate.</summary>
    public const string ClientChainPem = "client-chain.pem";

    /// <summary>The first certificate of <see cref="ClientChainPem"/> alone.</summary>
    public const string ClientChainLeafPem = "client-chain-leaf.pem";
    public const string ClientChainKeyPem = "client-chain-key.pem";

    /// <summary>The certificates of <see cref="ClientChainPem"/> with the intermediate CA first.</summary>
    public const string ClientChainReversedPem = "client-chain-reversed.pem";

    /// <summary>The client certificate of <see cref="ClientChainPem"/> and its intermediate CA, one DER value after the other.</summary>
    public const string ClientChainConcatenatedDer = "client-chain.der";

    /// <summary>The client certificate of <see cref="ClientChainPem"/> as DER, followed by a line break.</summary>
    public const string ClientChainLeafDerWithNewLine = "client-chain-leaf-newline.der";

    public const string ClientEcPem = "client-ec.pem";
    public const string ClientEcKeySec1Pem = "client-ec-key-sec1.pem";
    public const string ClientEcKeyPkcs8Pem = "client-ec-key-pkcs8.pem";

    public const string GarbageFile = "garbage.txt";

    /// <summary>A file name that is never written.</summary>
    public const string MissingFile = "missing.pem";

    public const string ClientRsaSubject = "CN=HttpActors Test Client RSA";
    public const string ClientEcSubject = "CN=HttpActors Test Client EC";
    public const string ClientChainSubject = "CN=HttpActors Test Client via Intermediate CA";
    public const string UnrelatedCaSubject = "CN=HttpActors Unrelated CA";

    private const X509KeyUsageFlags RsaLeafKeyUsage =
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment;

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private readonly DateTimeOffset _notBefore = DateTimeOffset.UtcNow.AddHours(-1);
    private readonly DateTimeOffset _notAfter = DateTimeOffset.UtcNow.AddDays(7);
    private readonly string _directory;

    public TlsTestCertificates()
    {
        using RSA caKey = RSA.Create(2048);
        using RSA serverKey = RSA.Create(2048);
        using RSA clientRsaKey = RSA.Create(2048);
        using ECDsa clientEcKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using ECDsa unrelatedCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Ca = CreateCa(RsaRequest("CN=HttpActors Test CA", caKey));
        using X509Certificate2 unrelatedCa = CreateCa(
            new CertificateRequest(UnrelatedCaSubject, unrelatedCaKey, HashAlgorithmName.SHA256));

        using X509Certificate2 server = IssueServer(RsaRequest("CN=localhost", serverKey), "localhost");
        using X509Certificate2 wrongHostServer = IssueServer(
            RsaRequest("CN=wrong-host.example", serverKey),
            "wrong-host.example");
        using X509Certificate2 selfSignedServer = CreateSelfSignedServer(serverKey);
        using X509Certificate2 clientRsa = IssueClient(RsaRequest(ClientRsaSubject, clientRsaKey), RsaLeafKeyUsage);
        using X509Certificate2 clientEc = IssueClient(
            new CertificateRequest(ClientEcSubject, clientEcKey, HashAlgorithmName.SHA256),
            X509KeyUsageFlags.DigitalSignature);

        using RSA intermediateKey = RSA.Create(2048);
        using RSA clientChainKey = RSA.Create(2048);
        using X509Certificate2 intermediate = IssueIntermediateCa(intermediateKey);
        using X509Certificate2 clientViaIntermediate = IssueClientByIntermediate(
            RsaRequest(ClientChainSubject, clientChainKey), intermediate, intermediateKey);

        ServerCertificate = WithUsableKey(server, serverKey);
        WrongHostServerCertificate = WithUsableKey(wrongHostServer, serverKey);
        SelfSignedServerCertificate = WithUsableKey(selfSignedServer, serverKey);

        _directory = Path.Combine(Path.GetTempPath(), "httpactors-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        try
        {
            WriteText(CaPem, Ca.ExportCertificatePem());
            WriteBytes(CaDer, Ca.RawData);
            WriteText(UnrelatedCaPem, unrelatedCa.ExportCertificatePem());
            WriteText(BundlePem, unrelatedCa.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem() + "\n");
            WriteText(ServerPem, server.ExportCertificatePem());
            WriteText(ServerKeyPkcs8Pem, serverKey.ExportPkcs8PrivateKeyPem());
            WriteText(WrongHostServerPem, wrongHostServer.ExportCertificatePem());
            WriteText(SelfSignedServerPem, selfSignedServer.ExportCertificatePem());

            WriteText(ClientRsaPem, clientRsa.ExportCertificatePem());
            WriteBytes(ClientRsaDer, clientRsa.RawData);
            WriteBytes(ClientRsaDerContentPem, clientRsa.RawData);
            WriteText(ClientRsaKeyPkcs8Pem, clientRsaKey.ExportPkcs8PrivateKeyPem());
            WriteBytes(ClientRsaKeyPkcs8Der, clientRsaKey.ExportPkcs8PrivateKey());
            WriteText(ClientRsaKeyPemContentDer, clientRsaKey.ExportPkcs8PrivateKeyPem());
            WriteText(ClientRsaKeyPkcs1Pem, clientRsaKey.ExportRSAPrivateKeyPem());
            WriteBytes(ClientRsaKeyPkcs1Der, clientRsaKey.ExportRSAPrivateKey());

            // A low iteration count keeps the test fast. The key is never decrypted.
            var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000);
            const string password = "test password";
            WriteText(ClientRsaKeyEncryptedPkcs8Pem, clientRsaKey.ExportEncryptedPkcs8PrivateKeyPem(password, pbe));
            WriteBytes(ClientRsaKeyEncryptedPkcs8Der, clientRsaKey.ExportEncryptedPkcs8PrivateKey(password, pbe));
            WriteText(LegacyEncryptedKeyPem, LegacyEncryptedPem());
            string openSshKey = PemEncoding.WriteString("OPENSSH PRIVATE KEY", RandomNumberGenerator.GetBytes(400));
            WriteText(OpenSshKeyPem, openSshKey);

            WriteText(ClientChainPem, clientViaIntermediate.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
            WriteText(ClientChainLeafPem, clientViaIntermediate.ExportCertificatePem());
            WriteText(ClientChainKeyPem, clientChainKey.ExportPkcs8PrivateKeyPem());
            WriteText(ClientChainReversedPem, intermediate.ExportCertificatePem() + "\n" + clientViaIntermediate.ExportCertificatePem() + "\n");
            WriteBytes(ClientChainConcatenatedDer, [.. clientViaIntermediate.RawData, .. intermediate.RawData]);
            WriteBytes(ClientChainLeafDerWithNewLine, [.. clientViaIntermediate.RawData, (byte)'\n']);

            WriteText(ClientEcPem, clientEc.ExportCertificatePem());
            WriteText(ClientEcKeySec1Pem, clientEcKey.ExportECPrivateKeyPem());
            WriteText(ClientEcKeyPkcs8Pem, clientEcKey.ExportPkcs8PrivateKeyPem());

            WriteText(GarbageFile, "This file contains neither a certificate nor a key.\n");
        }
        catch
        {
            // xUnit does not call Dispose when the constructor throws.
            Dispose();
            throw;
        }
    }

    /// <summary>The test CA, with its private key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>Server certificate for localhost and 127.0.0.1, signed by the test CA, with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Server certificate for wrong-host.example only, signed by the test CA, with its private key.</summary>
    public X509Certificate2 WrongHostServerCertificate { get; }

    /// <summary>Self-signed server certificate for localhost and 127.0.0.1, with its private key.</summary>
    public X509Certificate2 SelfSignedServerCertificate { get; }

    /// <summary>Returns the full path of a file in the temp folder.</summary>
    public string PathOf(string fileName)
    {
        return Path.Combine(_directory, fileName);
    }

    public void Dispose()
    {
        Ca.Dispose();
        ServerCertificate.Dispose();
        WrongHostServerCertificate.Dispose();
        SelfSignedServerCertificate.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static CertificateRequest RsaRequest(string subject, RSA key)
    {
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private X509Certificate2 CreateCa(CertificateRequest request)
    {
        var keyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign;
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(_notBefore.AddDays(-1), _notAfter.AddDays(1));
    }

    private X509Certificate2 IssueServer(CertificateRequest request, string dnsName)
    {
        request.CertificateExtensions.Add(ServerAlternativeNames(dnsName));
        AddLeafExtensions(request, RsaLeafKeyUsage, ServerAuthentication);
        return IssueByCa(request);
    }

    private X509Certificate2 IssueClient(CertificateRequest request, X509KeyUsageFlags keyUsage)
    {
        AddLeafExtensions(request, keyUsage, ClientAuthentication);
        return IssueByCa(request);
    }

    /// <summary>
    /// Signs <paramref name="request"/> with the CA's RSA key. Unlike the issuer certificate overload of
    /// <see cref="CertificateRequest.Create(X509Certificate2, DateTimeOffset, DateTimeOffset, byte[])"/>,
    /// a signature generator also signs EC requests.
    /// </summary>
    private X509Certificate2 IssueByCa(CertificateRequest request)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Ca, true, false));
        using RSA caKey = Ca.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("The test CA has no RSA private key.");
        X509SignatureGenerator generator = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        byte[] serialNumber = RandomNumberGenerator.GetBytes(16);
        return request.Create(Ca.SubjectName, generator, _notBefore, _notAfter, serialNumber);
    }

    /// <summary>Creates a CA certificate signed by the test CA, which may issue only leaf certificates.</summary>
    private X509Certificate2 IssueIntermediateCa(RSA key)
    {
        CertificateRequest request = RsaRequest("CN=HttpActors Test Intermediate CA", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return IssueByCa(request);
    }

    private X509Certificate2 IssueClientByIntermediate(CertificateRequest request, X509Certificate2 intermediate, RSA intermediateKey)
    {
        AddLeafExtensions(request, RsaLeafKeyUsage, ClientAuthentication);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        X509SignatureGenerator generator = X509SignatureGenerator.CreateForRSA(intermediateKey, RSASignaturePadding.Pkcs1);
        return request.Create(intermediate.SubjectName, generator, _notBefore, _notAfter, RandomNumberGenerator.GetBytes(16));
    }

    private X509Certificate2 CreateSelfSignedServer(RSA key)
    {
        CertificateRequest request = RsaRequest("CN=localhost self-signed", key);
        request.CertificateExtensions.Add(ServerAlternativeNames("localhost"));
        AddLeafExtensions(request, RsaLeafKeyUsage, ServerAuthentication);
        return request.CreateSelfSigned(_notBefore, _notAfter);
    }

    /// <summary>
    /// Creates a subject alternative name extension for <paramref name="dnsName"/>, plus 127.0.0.1 for localhost.
    /// </summary>
    private static X509Extension ServerAlternativeNames(string dnsName)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        if (dnsName == "localhost")
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        return names.Build();
    }

    private static void AddLeafExtensions(CertificateRequest request, X509KeyUsageFlags keyUsage, Oid extendedKeyUsage)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([extendedKeyUsage], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    /// <summary>
    /// Attaches the key unless the certificate has it, and reloads the certificate from PKCS#12,
    /// so that Kestrel can use the key on Windows as well.
    /// </summary>
    private static X509Certificate2 WithUsableKey(X509Certificate2 certificate, RSA key)
    {
        if (certificate.HasPrivateKey)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }

        using X509Certificate2 withKey = certificate.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static string LegacyEncryptedPem()
    {
        byte[] randomContent = RandomNumberGenerator.GetBytes(1200);
        string body = Convert.ToBase64String(randomContent, Base64FormattingOptions.InsertLineBreaks);
        return new StringBuilder()
            .Append("-----BEGIN RSA PRIVATE KEY-----\n")
            .Append("Proc-Type: 4,ENCRYPTED\n")
            .Append("DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\n")
            .Append(body.Replace("\r\n", "\n", StringComparison.Ordinal))
            .Append("\n-----END RSA PRIVATE KEY-----\n")
            .ToString();
    }

    private void WriteText(string fileName, string content)
    {
        File.WriteAllText(PathOf(fileName), content);
    }

    private void WriteBytes(string fileName, byte[] content)
    {
        File.WriteAllBytes(PathOf(fileName), content);
    }
}
