using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Connector.Actors.Tests.Lookup;

/// <summary><c>http.source.lookup.http-version</c> against Kestrel servers that speak one protocol only.</summary>
public sealed class HttpVersionTests : LookupTestBase
{
    private static Dictionary<string, string> Options(RecordingKestrelServer server, string? version)
    {
        var options = new Dictionary<string, string>
        {
            ["connector"] = "rest-lookup",
            ["url"] = server.BaseUrl + "/customers",
            ["columns"] = "id STRING, msg STRING",
            ["lookup.max-retries"] = "0",
        };
        if (version is not null)
        {
            options[LookupOptions.HttpVersion] = version;
        }

        return options;
    }

    [Fact]
    public async Task Default_Http11WithoutUpgrade()
    {
        await using var server = await RecordingKestrelServer.StartAsync(HttpProtocols.Http1);

        var output = await LookupAsync(Options(server, null), "1");

        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        var request = Assert.Single(server.Requests);
        Assert.Equal("HTTP/1.1", request.Protocol);
        Assert.False(request.Headers.ContainsKey("Upgrade"), "the request asked to upgrade the connection");
        Assert.False(request.Headers.ContainsKey("HTTP2-Settings"), "the request carried HTTP2-Settings");
    }

    [Fact]
    public async Task Http2_PriorKnowledgeOverHttp()
    {
        await using var server = await RecordingKestrelServer.StartAsync(HttpProtocols.Http2);

        var output = await LookupAsync(Options(server, "HTTP_2"), "1");

        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        Assert.Equal("HTTP/2", Assert.Single(server.Requests).Protocol);
    }

    [Fact]
    public async Task Http2_NoFallbackToHttp11()
    {
        await using var server = await RecordingKestrelServer.StartAsync(HttpProtocols.Http1);

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => LookupAsync(Options(server, "HTTP_2"), "1"));

        Assert.Null(failure.StatusCode);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("HTTP2")]
    [InlineData("http_1_1")]
    public void InvalidValue_ListsAllowedValues(string version)
    {
        var options = BaseOptions();
        options[LookupOptions.HttpVersion] = version;

        var (_, problems) = LookupSettings.TryCreate(TableOptions.FromDictionary(TableName, options));

        var problem = Assert.Single(problems);
        Assert.Equal(LookupOptions.HttpVersion, problem.Option);
        Assert.Contains($"'{version}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP_1_1, HTTP_2", problem.Message, StringComparison.Ordinal);
    }
}
