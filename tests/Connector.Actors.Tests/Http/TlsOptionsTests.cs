using Connector.Actors.Http;

namespace Connector.Actors.Tests.Http;

/// <summary>Parsing of the comma-separated <c>http.security.cert.server</c> value.</summary>
public sealed class TlsOptionsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" , ,")]
    public void SplitPaths_Blank_ReturnsEmpty(string? value)
    {
        Assert.Empty(TlsOptions.SplitPaths(value));
    }

    [Fact]
    public void SplitPaths_SinglePath_ReturnsIt()
    {
        Assert.Equal(["/etc/ssl/ca.pem"], TlsOptions.SplitPaths("/etc/ssl/ca.pem"));
    }

    [Fact]
    public void SplitPaths_BlankItems_Skipped()
    {
        IReadOnlyList<string> paths = TlsOptions.SplitPaths(" /a/ca.pem ,, ,/b/server.der,");

        Assert.Equal(["/a/ca.pem", "/b/server.der"], paths);
    }
}
