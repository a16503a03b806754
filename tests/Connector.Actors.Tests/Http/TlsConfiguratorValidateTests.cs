using System.Text;
using Connector.Actors.Http;
using static Connector.Actors.Tests.Http.TlsTestCertificates;

namespace Connector.Actors.Tests.Http;

/// <summary>Problems reported by <see cref="TlsConfigurator.Validate"/> for invalid TLS files.</summary>
[Collection(TlsServersCollection.Name)]
public sealed class TlsConfiguratorValidateTests
{
    private const string ServerOption = TlsOptions.ServerCertificatesOption;
    private const string CertificateOption = TlsOptions.ClientCertificateOption;
    private const string KeyOption = TlsOptions.ClientKeyOption;

    private readonly TlsTestCertificates _certificates;

    public TlsConfiguratorValidateTests(TlsServersFixture fixture)
    {
        _certificates = fixture.Certificates;
    }

    [Fact]
    public void Validate_NoOptions_NoProblems()
    {
        Assert.Empty(TlsConfigurator.Validate(TlsOptions.None));
    }

    [Fact]
    public void Validate_ValidFiles_NoProblems()
    {
        var options = new TlsOptions(
            [Path(CaPem), Path(CaDer), Path(BundlePem)],
            false,
            Path(ClientEcPem),
            Path(ClientEcKeySec1Pem));

        Assert.Empty(TlsConfigurator.Validate(options));
    }

    [Fact]
    public void Validate_MissingServerCertificate_ReportsNotFound()
    {
        string path = Path(MissingFile);

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(ServerCertificates(path)));

        AssertProblem(problem, ServerOption, path, "File not found");
    }

    [Fact]
    public void Validate_MissingServerDirectory_ReportsNotFound()
    {
        string path = Path(System.IO.Path.Combine("missing-folder", "ca.pem"));

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(ServerCertificates(path)));

        AssertProblem(problem, ServerOption, path, "File not found");
    }

    [Theory]
    [InlineData(GarbageFile)]
    [InlineData(ClientRsaKeyPkcs8Pem)]
    [InlineData(ClientRsaKeyPkcs8Der)]
    public void Validate_NotCertificate_ReportsUnreadable(string fileName)
    {
        string path = Path(fileName);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(ServerCertificates(path));

        TlsProblem problem = Assert.Single(problems);
        AssertProblem(problem, ServerOption, path, "could not be read as a PEM or DER certificate");
        AssertNoKeyText(problems, path);
    }

    [Fact]
    public void Validate_SeveralBadServerFiles_ReportsEach()
    {
        string missing = Path(MissingFile);
        string garbage = Path(GarbageFile);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(
            ServerCertificates(missing, Path(CaPem), garbage));

        Assert.Equal(2, problems.Count);
        AssertProblem(problems[0], ServerOption, missing, "File not found");
        AssertProblem(problems[1], ServerOption, garbage, "could not be read as a PEM or DER certificate");
    }

    [Fact]
    public void Validate_MissingClientCertificate_ReportsNotFound()
    {
        string path = Path(MissingFile);

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(Client(path, Path(ClientRsaKeyPkcs8Pem))));

        AssertProblem(problem, CertificateOption, path, "File not found");
    }

    [Fact]
    public void Validate_MissingClientKey_ReportsNotFound()
    {
        string path = Path(MissingFile);

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(Client(Path(ClientRsaPem), path)));

        AssertProblem(problem, KeyOption, path, "File not found");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_CertificateWithoutKey_NamesKeyOption(string? keyPath)
    {
        string path = Path(ClientRsaPem);

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(Client(path, keyPath)));

        AssertProblem(problem, CertificateOption, path, $"{KeyOption} is not set");
    }

    [Fact]
    public void Validate_KeyWithoutCertificate_NamesCertificateOption()
    {
        string path = Path(ClientRsaKeyPkcs8Pem);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(Client(null, path));

        TlsProblem problem = Assert.Single(problems);
        AssertProblem(problem, KeyOption, path, $"{CertificateOption} is not set");
        AssertNoKeyText(problems, path);
    }

    [Theory]
    [InlineData(ClientRsaPem, ServerKeyPkcs8Pem)]
    [InlineData(ClientRsaPem, ClientEcKeySec1Pem)]
    [InlineData(ClientEcPem, ClientRsaKeyPkcs1Pem)]
    public void Validate_MismatchedKey_ReportsMismatch(string certificateFile, string keyFile)
    {
        string keyPath = Path(keyFile);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(Client(Path(certificateFile), keyPath));

        TlsProblem problem = Assert.Single(problems);
        AssertProblem(problem, KeyOption, keyPath, "does not match");
        AssertNoKeyText(problems, keyPath);
    }

    [Fact]
    public void Validate_ChainReversed_ReportsOrder()
    {
        string keyPath = Path(ClientChainKeyPem);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(Client(Path(ClientChainReversedPem), keyPath));

        TlsProblem problem = Assert.Single(problems);
        AssertProblem(problem, KeyOption, keyPath, "matches certificate 2");
        Assert.Contains("Put the client certificate first in the file", problem.ToString());
        AssertNoKeyText(problems, keyPath);
    }

    [Theory]
    [InlineData(ClientRsaKeyEncryptedPkcs8Pem)]
    [InlineData(ClientRsaKeyEncryptedPkcs8Der)]
    [InlineData(LegacyEncryptedKeyPem)]
    public void Validate_EncryptedKey_ReportsMustBeUnencrypted(string keyFile)
    {
        string keyPath = Path(keyFile);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(Client(Path(ClientRsaPem), keyPath));

        TlsProblem problem = Assert.Single(problems);
        AssertProblem(problem, KeyOption, keyPath, "must be unencrypted");
        AssertNoKeyText(problems, keyPath);
    }

    [Fact]
    public void Validate_UnsupportedKeyLabel_ReportsLabel()
    {
        string keyPath = Path(OpenSshKeyPem);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(Client(Path(ClientRsaPem), keyPath));

        TlsProblem problem = Assert.Single(problems);
        AssertProblem(problem, KeyOption, keyPath, "'OPENSSH PRIVATE KEY' is not supported");
        AssertNoKeyText(problems, keyPath);
    }

    [Theory]
    [InlineData(GarbageFile)]
    [InlineData(ClientRsaDer)]
    public void Validate_NotKey_ReportsUnreadable(string keyFile)
    {
        string keyPath = Path(keyFile);

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(Client(Path(ClientRsaPem), keyPath)));

        AssertProblem(problem, KeyOption, keyPath, "could not be read as a PEM or DER private key");
    }

    [Fact]
    public void Validate_CertificateAsKey()
    {
        string keyPath = Path(ClientRsaPem);

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(Client(Path(ClientRsaPem), keyPath)));

        AssertProblem(problem, KeyOption, keyPath, "no PEM private key block");
    }

    [Fact]
    public void Validate_GarbageClientCertificate_ReportsUnreadable()
    {
        string path = Path(GarbageFile);

        TlsProblem problem = Assert.Single(TlsConfigurator.Validate(Client(path, Path(ClientRsaKeyPkcs8Pem))));

        AssertProblem(problem, CertificateOption, path, "could not be read as a PEM or DER certificate");
    }

    [Fact]
    public void Validate_AllOptionsInvalid_ReportsEveryProblem()
    {
        string serverPath = Path(GarbageFile);
        string certificatePath = Path(MissingFile);
        string keyPath = Path(ClientRsaKeyEncryptedPkcs8Pem);

        IReadOnlyList<TlsProblem> problems = TlsConfigurator.Validate(
            new TlsOptions([serverPath], false, certificatePath, keyPath));

        Assert.Equal(3, problems.Count);
        AssertProblem(problems[0], ServerOption, serverPath, "could not be read as a PEM or DER certificate");
        AssertProblem(problems[1], CertificateOption, certificatePath, "File not found");
        AssertProblem(problems[2], KeyOption, keyPath, "must be unencrypted");
        AssertNoKeyText(problems, keyPath);
    }

    [Fact]
    public void Apply_InvalidOptions_ThrowsWithEveryProblem()
    {
        string serverPath = Path(MissingFile);
        string keyPath = Path(ClientRsaKeyPkcs8Pem);
        using var handler = new SocketsHttpHandler();

        ArgumentException exception = Assert.Throws<ArgumentException>(
            () => TlsConfigurator.Apply(handler, new TlsOptions([serverPath], false, null, keyPath)));

        Assert.Contains($"{ServerOption} '{serverPath}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"{KeyOption} '{keyPath}'", exception.Message, StringComparison.Ordinal);
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
        AssertNoKeyText([new TlsProblem(KeyOption, keyPath, exception.Message)], keyPath);
    }

    private static void AssertProblem(
        TlsProblem problem,
        string expectedOption,
        string expectedValue,
        string expectedMessagePart)
    {
        Assert.Equal(expectedOption, problem.Option);
        Assert.Equal(expectedValue, problem.Value);
        Assert.Contains(expectedMessagePart, problem.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Asserts that no problem text contains a base64 line of the PEM key file,
    /// or the start of a DER key file in base64 or hex.
    /// </summary>
    private static void AssertNoKeyText(IEnumerable<TlsProblem> problems, string keyPath)
    {
        byte[] content = File.ReadAllBytes(keyPath);
        string text = Encoding.UTF8.GetString(content);
        List<string> fragments = text.Contains("-----BEGIN ", StringComparison.Ordinal)
            ? text.Split('\n', StringSplitOptions.TrimEntries)
                .Where(line => line.Length >= 16)
                .Where(line => !line.StartsWith("-----", StringComparison.Ordinal))
                .Where(line => !line.Contains(':', StringComparison.Ordinal))
                .ToList()
            : [Convert.ToBase64String(content)[..32], Convert.ToHexString(content)[..32]];

        Assert.NotEmpty(fragments);
        foreach (TlsProblem problem in problems)
        {
            foreach (string fragment in fragments)
            {
                Assert.DoesNotContain(fragment, problem.ToString(), StringComparison.Ordinal);
            }
        }
    }

    private string Path(string fileName)
    {
        return _certificates.PathOf(fileName);
    }

    private static TlsOptions ServerCertificates(params string[] paths)
    {
        return new TlsOptions(paths, false, null, null);
    }

    private static TlsOptions Client(string? certificatePath, string? keyPath)
    {
        return new TlsOptions([], false, certificatePath, keyPath);
    }
}
