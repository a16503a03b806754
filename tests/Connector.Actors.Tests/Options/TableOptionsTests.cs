using Akka.Configuration;
using Connector.Actors.Options;

namespace Connector.Actors.Tests.Options;

/// <summary>Tests of reading a table's options from HOCON into flat dotted names.</summary>
public sealed class TableOptionsTests
{
    [Fact]
    public void FromConfig_QuotedAndNestedKeys()
    {
        var options = Read("""
            connector = rest-lookup
            "http.source.lookup.header.Origin" = "*"
            http.source.lookup.request.timeout = 5s
            http {
              source.lookup.http-version = HTTP_2
            }
            """);

        Assert.Equal(4, options.Values.Count);
        Assert.Equal("rest-lookup", options.Get("connector"));
        Assert.Equal("*", options.Get("http.source.lookup.header.Origin"));
        Assert.Equal("5s", options.Get("http.source.lookup.request.timeout"));
        Assert.Equal("HTTP_2", options.Get("http.source.lookup.http-version"));
    }

    [Theory]
    [InlineData("\"http.source.lookup.request.timeout\" = 5s")]
    [InlineData("http.source.lookup.request.timeout = 5s")]
    [InlineData("http { source { lookup { request { timeout = 5s } } } }")]
    [InlineData("http.source { \"lookup.request.timeout\" = \"5s\" }")]
    public void FromConfig_SameFlatName(string text)
    {
        var options = Read(text);

        var pair = Assert.Single(options.Values);
        Assert.Equal("http.source.lookup.request.timeout", pair.Key);
        Assert.Equal("5s", pair.Value);
    }

    [Fact]
    public void FromConfig_NameThatPrefixesAnother()
    {
        var options = Read("""
            "http.security.cert.server" = a
            "http.security.cert.server.allowSelfSigned" = true
            """);

        Assert.Equal(2, options.Values.Count);
        Assert.Equal("a", options.Get("http.security.cert.server"));
        Assert.Equal("true", options.Get("http.security.cert.server.allowSelfSigned"));
    }

    [Fact]
    public void FromConfig_ListsJoinedWithCommas()
    {
        var options = Read("""
            "http.source.lookup.success-codes" = [200, 201, "2XX", "!204"]
            "http.security.cert.server" = ["a.pem", "b.pem"]
            single = ["only"]
            """);

        Assert.Equal("200,201,2XX,!204", options.Get("http.source.lookup.success-codes"));
        Assert.Equal("a.pem,b.pem", options.Get("http.security.cert.server"));
        Assert.Equal("only", options.Get("single"));
    }

    [Fact]
    public void FromConfig_EmptyList()
    {
        var options = Read("\"http.source.lookup.ignored-response-codes\" = []");

        Assert.Equal(string.Empty, options.Get("http.source.lookup.ignored-response-codes"));
    }

    [Fact]
    public void FromConfig_ScalarsAsText()
    {
        var options = Read("""
            "sink.batch.max-size" = 25
            asyncPolling = true
            enabled = false
            ratio = 1.50
            negative = -3
            quoted = "007"
            """);

        Assert.Equal("25", options.Get("sink.batch.max-size"));
        Assert.Equal("true", options.Get("asyncPolling"));
        Assert.Equal("false", options.Get("enabled"));
        Assert.Equal("1.50", options.Get("ratio"));
        Assert.Equal("-3", options.Get("negative"));
        Assert.Equal("007", options.Get("quoted"));
    }

    [Fact]
    public void FromConfig_TextWithSpacesAndColons()
    {
        var options = Read("""
            url = "http://127.0.0.1:8080/client?a=b"
            columns = "id STRING, details ROW<isActive BOOLEAN>"
            """);

        Assert.Equal("http://127.0.0.1:8080/client?a=b", options.Get("url"));
        Assert.Equal("id STRING, details ROW<isActive BOOLEAN>", options.Get("columns"));
    }

    [Fact]
    public void FromConfig_LaterValueWins()
    {
        var options = Read("""
            "http.source.lookup.request.timeout" = 5s
            http.source.lookup.request.timeout = 7s
            """);

        Assert.Equal("7s", options.Get("http.source.lookup.request.timeout"));
    }

    [Fact]
    public void FromConfig_EmptyObject()
    {
        var options = Read("{}");

        Assert.Empty(options.Values);
        Assert.Null(options.Get("connector"));
    }

    [Fact]
    public void FromConfig_NamesAreCaseSensitive()
    {
        var options = Read("""
            "http.source.lookup.header.Origin" = a
            "http.source.lookup.header.origin" = b
            """);

        Assert.Equal("a", options.Get("http.source.lookup.header.Origin"));
        Assert.Equal("b", options.Get("http.source.lookup.header.origin"));
    }

    [Fact]
    public void Scope_NamesTable()
    {
        var options = TableOptions.FromDictionary("customers", []);

        Assert.Equal("customers", options.TableName);
        Assert.Equal("table 'customers'", options.Scope);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankTableName(string name)
    {
        Assert.Throws<ArgumentException>(() => TableOptions.FromDictionary(name, []));
    }

    private static TableOptions Read(string hocon) =>
        TableOptions.FromConfig("customers", ConfigurationFactory.ParseString(hocon));
}
