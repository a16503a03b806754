using Connector.Actors.Tests.Support;
using System.Text.Json;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Tests.Sink;
using Microsoft.Extensions.Logging;
using static Connector.Actors.Tests.Http.ConnectorRuns;
using static Connector.Actors.Tests.Http.TlsTestCertificates;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// The <c>http.security.*</c> options of <c>rest-lookup</c> and <c>http-sink</c> tables against the Kestrel HTTPS
/// test servers.
/// </summary>
[Collection(TlsServersCollection.Name)]
public sealed class ConnectorTlsTests : IClassFixture<ActorSystemFixture>
{
    private const string SelfSignedWarning = "http.security.cert.server.allowSelfSigned is true";

    private readonly TlsServersFixture _servers;
    private readonly ActorSystemFixture _actors;

    public ConnectorTlsTests(TlsServersFixture servers, ActorSystemFixture actors)
    {
        _servers = servers;
        _actors = actors;
    }

    /// <summary>
    /// TLS options with a problem, as file names or null for an unset option, and the option and file that the
    /// problem must name.
    /// </summary>
    public static TheoryData<string?, string?, string?, string, string> InvalidTlsFiles => new()
    {
        { MissingFile, null, null, CommonOptions.CertServer, MissingFile },
        { null, MissingFile, ClientRsaKeyPkcs8Pem, CommonOptions.CertClient, MissingFile },
        { null, null, ClientRsaKeyPkcs8Pem, CommonOptions.KeyClient, ClientRsaKeyPkcs8Pem },
        { null, ClientRsaPem, ServerKeyPkcs8Pem, CommonOptions.KeyClient, ServerKeyPkcs8Pem },
    };

    private TlsTestCertificates Certificates => _servers.Certificates;

    [Fact]
    public async Task Lookup_TrustedCa_Succeeds()
    {
        string path = UniquePath(KestrelTlsServer.LookupPath);
        var options = LookupTableOptions(UrlOf(_servers.CaSignedServer, path));
        options[CommonOptions.CertServer] = Certificates.PathOf(CaPem);

        Row row = await LookupAsync(options, _actors.Materializer);

        Assert.Equal(KestrelTlsServer.NoClientCertificate, row["msg"]);
        Assert.Single(_servers.CaSignedServer.RequestsTo(path));
    }

    [Fact]
    public async Task Sink_TrustedCa_Succeeds()
    {
        string path = UniquePath("/orders");
        var options = SinkTableOptions(UrlOf(_servers.CaSignedServer, path));
        options[CommonOptions.CertServer] = Certificates.PathOf(CaPem);

        var result = await SinkAsync(options, _actors.Materializer);

        Assert.Equal(2, result.Delivered);
        ReceivedRequest received = Assert.Single(_servers.CaSignedServer.RequestsTo(path));
        Assert.Equal([1, 2], SinkTestData.Ids(received.Body));
    }

    [Fact]
    public async Task Lookup_UntrustedServer_FailsNamingTls()
    {
        string path = UniquePath(KestrelTlsServer.LookupPath);
        var options = LookupTableOptions(UrlOf(_servers.CaSignedServer, path));

        var failure = await LookupFailureAsync(options, _actors.Materializer);

        Assert.Null(failure.StatusCode);
        Assert.Contains($"table '{LookupTable}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TLS handshake", failure.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_servers.CaSignedServer.RequestsTo(path));
    }

    [Fact]
    public async Task Sink_UntrustedServer_FailsNamingTls()
    {
        string path = UniquePath("/orders");
        var options = SinkTableOptions(UrlOf(_servers.CaSignedServer, path));

        var failure = await SinkFailureAsync(options, _actors.Materializer);

        Assert.Null(failure.StatusCode);
        Assert.Contains($"table '{SinkTable}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TLS handshake", failure.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_servers.CaSignedServer.RequestsTo(path));
    }

    [Fact]
    public async Task Sink_UntrustedServer_DeadLetters()
    {
        string path = UniquePath("/orders");
        string deadLetterPath = SinkTestData.DeadLetterPath();
        var options = SinkTableOptions(UrlOf(_servers.SelfSignedServer, path));
        options[SinkOptions.OnFailure] = "dead-letter";
        options[SinkOptions.DeadLetterPath] = deadLetterPath;

        var result = await SinkAsync(options, _actors.Materializer);

        Assert.Equal(2, result.DeadLettered);
        Assert.Equal(0, result.Delivered);
        JsonElement[] deadLetters = SinkTestData.ReadDeadLetters(deadLetterPath);
        Assert.NotEmpty(deadLetters);
        string deadLetterText = string.Join("\n", deadLetters.Select(line => line.GetRawText()));
        Assert.Contains("TLS handshake", deadLetterText, StringComparison.Ordinal);
        Assert.Contains("certificate", deadLetterText, StringComparison.Ordinal);
        Assert.Empty(_servers.SelfSignedServer.RequestsTo(path));
    }

    [Fact]
    public async Task Lookup_AllowSelfSigned_SucceedsAndWarns()
    {
        string path = UniquePath(KestrelTlsServer.LookupPath);
        var options = LookupTableOptions(UrlOf(_servers.SelfSignedServer, path));
        options[CommonOptions.AllowSelfSigned] = "true";
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = logs.CreateFactory();

        Row row = await LookupAsync(options, _actors.Materializer, loggerFactory);

        Assert.Equal(KestrelTlsServer.NoClientCertificate, row["msg"]);
        CapturedLogEntry warning = Assert.Single(logs.Entries, entry => entry.Message.Contains(SelfSignedWarning));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith($"{LookupTable}:", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sink_AllowSelfSigned_SucceedsAndWarns()
    {
        string path = UniquePath("/orders");
        var options = SinkTableOptions(UrlOf(_servers.SelfSignedServer, path));
        options[CommonOptions.AllowSelfSigned] = "true";
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = logs.CreateFactory();

        var result = await SinkAsync(options, _actors.Materializer, loggerFactory);

        Assert.Equal(2, result.Delivered);
        Assert.Single(_servers.SelfSignedServer.RequestsTo(path));
        CapturedLogEntry warning = Assert.Single(logs.Entries, entry => entry.Message.Contains(SelfSignedWarning));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.StartsWith($"{SinkTable}:", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_TrustedCa_LogsNoSelfSignedWarning()
    {
        var options = LookupTableOptions(UrlOf(_servers.CaSignedServer, UniquePath(KestrelTlsServer.LookupPath)));
        options[CommonOptions.CertServer] = Certificates.PathOf(CaPem);
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = logs.CreateFactory();

        await LookupAsync(options, _actors.Materializer, loggerFactory);

        Assert.DoesNotContain(logs.Entries, entry => entry.Message.Contains(SelfSignedWarning));
    }

    [Theory]
    [InlineData(ClientRsaPem, ClientRsaKeyPkcs8Pem)]
    [InlineData(ClientRsaDer, ClientRsaKeyPkcs8Der)]
    public async Task Lookup_MutualTls_PresentsClientCertificate(string certificateFile, string keyFile)
    {
        string path = UniquePath(KestrelTlsServer.LookupPath);
        var options = LookupTableOptions(UrlOf(_servers.MutualTlsServer, path));
        options[CommonOptions.CertServer] = Certificates.PathOf(CaPem);
        options[CommonOptions.CertClient] = Certificates.PathOf(certificateFile);
        options[CommonOptions.KeyClient] = Certificates.PathOf(keyFile);

        Row row = await LookupAsync(options, _actors.Materializer);

        Assert.Equal(ClientRsaSubject, row["msg"]);
    }

    [Theory]
    [InlineData(ClientRsaPem, ClientRsaKeyPkcs8Pem)]
    [InlineData(ClientRsaDer, ClientRsaKeyPkcs8Der)]
    public async Task Sink_MutualTls_PresentsClientCertificate(string certificateFile, string keyFile)
    {
        string path = UniquePath("/orders");
        var options = SinkTableOptions(UrlOf(_servers.MutualTlsServer, path));
        options[CommonOptions.CertServer] = Certificates.PathOf(CaPem);
        options[CommonOptions.CertClient] = Certificates.PathOf(certificateFile);
        options[CommonOptions.KeyClient] = Certificates.PathOf(keyFile);

        var result = await SinkAsync(options, _actors.Materializer);

        Assert.Equal(2, result.Delivered);
        ReceivedRequest received = Assert.Single(_servers.MutualTlsServer.RequestsTo(path));
        Assert.Equal(ClientRsaSubject, received.ClientCertificateSubject);
    }

    [Fact]
    public async Task Lookup_MutualTlsNoClientCertificate_Fails()
    {
        string path = UniquePath(KestrelTlsServer.LookupPath);
        var options = LookupTableOptions(UrlOf(_servers.MutualTlsServer, path));
        options[CommonOptions.CertServer] = Certificates.PathOf(CaPem);

        var failure = await LookupFailureAsync(options, _actors.Materializer);

        Assert.Null(failure.StatusCode);
        Assert.Contains($"table '{LookupTable}'", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_servers.MutualTlsServer.RequestsTo(path));
    }

    [Fact]
    public async Task Sink_MutualTlsNoClientCertificate_Fails()
    {
        string path = UniquePath("/orders");
        var options = SinkTableOptions(UrlOf(_servers.MutualTlsServer, path));
        options[CommonOptions.CertServer] = Certificates.PathOf(CaPem);

        var failure = await SinkFailureAsync(options, _actors.Materializer);

        Assert.Null(failure.StatusCode);
        Assert.Contains($"table '{SinkTable}'", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_servers.MutualTlsServer.RequestsTo(path));
    }

    [Theory]
    [MemberData(nameof(InvalidTlsFiles))]
    public void LookupSettings_InvalidTlsFile_NamesTableOptionPath(
        string? serverCertificateFile,
        string? clientCertificateFile,
        string? clientKeyFile,
        string expectedOption,
        string expectedFile)
    {
        var options = LookupTableOptions("https://127.0.0.1:9/customers");
        AddTlsFiles(options, serverCertificateFile, clientCertificateFile, clientKeyFile);

        var error = Assert.Throws<ConfigurationException>(() => LookupSettingsOf(options));

        ConfigurationProblem problem = Assert.Single(error.Problems);
        Assert.Equal(expectedOption, problem.Option);
        Assert.Equal($"table '{LookupTable}'", problem.Scope);
        Assert.Contains(Certificates.PathOf(expectedFile), problem.Message, StringComparison.Ordinal);
        Assert.Contains($"table '{LookupTable}', option '{expectedOption}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidTlsFiles))]
    public void SinkSettings_InvalidTlsFile_NamesTableOptionPath(
        string? serverCertificateFile,
        string? clientCertificateFile,
        string? clientKeyFile,
        string expectedOption,
        string expectedFile)
    {
        var options = SinkTableOptions("https://127.0.0.1:9/orders");
        AddTlsFiles(options, serverCertificateFile, clientCertificateFile, clientKeyFile);

        var error = Assert.Throws<ConfigurationException>(() => SinkSettingsOf(options));

        ConfigurationProblem problem = Assert.Single(error.Problems);
        Assert.Equal(expectedOption, problem.Option);
        Assert.Equal($"table '{SinkTable}'", problem.Scope);
        Assert.Contains(Certificates.PathOf(expectedFile), problem.Message, StringComparison.Ordinal);
        Assert.Contains($"table '{SinkTable}', option '{expectedOption}'", error.Message, StringComparison.Ordinal);
    }

    private static string UniquePath(string prefix)
    {
        return $"{prefix}/{Guid.NewGuid():N}";
    }

    private static string UrlOf(KestrelTlsServer server, string path)
    {
        return new Uri(server.Address, path).ToString();
    }

    private void AddTlsFiles(
        Dictionary<string, string> options,
        string? serverCertificateFile,
        string? clientCertificateFile,
        string? clientKeyFile)
    {
        (string Option, string? File)[] files =
        [
            (CommonOptions.CertServer, serverCertificateFile),
            (CommonOptions.CertClient, clientCertificateFile),
            (CommonOptions.KeyClient, clientKeyFile),
        ];
        foreach (var (option, file) in files)
        {
            if (file is not null)
            {
                options[option] = Certificates.PathOf(file);
            }
        }
    }
}
