using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Sink;

namespace Connector.Actors.Tests.Options;

/// <summary>
/// Tests of option checking as the lookup and sink settings run it: unknown names, every problem at once,
/// option families and hidden secret values.
/// </summary>
public sealed class OptionReaderTests
{
    private const string OptionsHint = "unknown option; run the node's 'options' command for the list of options.";

    [Fact]
    public void LookupTryCreate_ValidOptions()
    {
        var (settings, problems) = LookupSettings.TryCreate(Lookup());

        Assert.Empty(problems);
        Assert.NotNull(settings);
        Assert.Equal("customers", settings.TableName);
    }

    [Fact]
    public void SinkTryCreate_ValidOptions()
    {
        var (settings, problems) = SinkSettings.TryCreate(Sink());

        Assert.Empty(problems);
        Assert.NotNull(settings);
        Assert.Equal("orders", settings.TableName);
    }

    [Theory]
    [InlineData("http.source.lookup.request.timout", "http.source.lookup.request.timeout")]
    [InlineData("http.source.lookup.Request.Timeout", "http.source.lookup.request.timeout")]
    [InlineData("lookup.max-retry", "lookup.max-retries")]
    [InlineData("asyncpolling", "asyncPolling")]
    [InlineData("colums", "columns")]
    [InlineData("http.security.cert.server.allowSelfsigned", "http.security.cert.server.allowSelfSigned")]
    public void LookupUnknownOption_SuggestsClosest(string name, string suggestion)
    {
        var (settings, problems) = LookupSettings.TryCreate(Lookup((name, "1")));

        Assert.Null(settings);
        var problem = Assert.Single(problems);
        Assert.Equal("table 'customers'", problem.Scope);
        Assert.Equal(name, problem.Option);
        Assert.Equal($"unknown option; did you mean '{suggestion}'?", problem.Message);
    }

    [Fact]
    public void BufferCapacityOnTable_PointsToLookupStep()
    {
        var (settings, problems) = LookupSettings.TryCreate(Lookup(("buffer-capacity", "200")));

        Assert.Null(settings);
        var problem = Assert.Single(problems);
        Assert.Equal("buffer-capacity", problem.Option);
        Assert.StartsWith("unknown option; buffer-capacity belongs to a lookup, not to a table.", problem.Message, StringComparison.Ordinal);
        Assert.Contains("lookups = [ { table = customers, buffer-capacity = 100, on { id = id } } ]", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sink.batch.max-sise", "sink.batch.max-size")]
    [InlineData("http.sink.request.timeout.ms", "http.sink.request.timeout")]
    [InlineData("insert-methd", "insert-method")]
    public void SinkUnknownOption_SuggestsClosest(string name, string suggestion)
    {
        var (_, problems) = SinkSettings.TryCreate(Sink((name, "1")));

        var problem = Assert.Single(problems);
        Assert.Equal(name, problem.Option);
        Assert.Equal($"unknown option; did you mean '{suggestion}'?", problem.Message);
    }

    [Theory]
    [InlineData("color")]
    [InlineData("kafka.bootstrap.servers")]
    [InlineData("http.source.lookup.something-else-entirely")]
    public void UnknownOption_UnrelatedNameGetsOptionsHint(string name)
    {
        var (_, problems) = LookupSettings.TryCreate(Lookup((name, "x")));

        var problem = Assert.Single(problems);
        Assert.Equal(name, problem.Option);
        Assert.Equal(OptionsHint, problem.Message);
    }

    [Fact]
    public void UnknownOption_SinkOptionOnLookupTable()
    {
        var (_, problems) = LookupSettings.TryCreate(Lookup(("http.sink.request.timeout", "5s")));

        var problem = Assert.Single(problems);
        Assert.Equal("http.sink.request.timeout", problem.Option);
        Assert.StartsWith("unknown option; ", problem.Message);
        Assert.DoesNotContain("did you mean 'http.sink.request.timeout'", problem.Message);
    }

    [Fact]
    public void LookupTryCreate_EveryProblemListed()
    {
        var options = TableOptions.FromDictionary("customers", new Dictionary<string, string>
        {
            ["connector"] = "rest-lookup",
            ["columns"] = "id STRNG",
            ["http.source.lookup.request.timeout"] = "soon",
            ["http.source.lookup.result-type"] = "many",
            ["lookup.max-retries"] = "-1",
            ["http.source.lookup.proxy.port"] = "8080",
            ["colour"] = "blue",
            ["lookup.max-retrys"] = "2",
        });

        var (settings, problems) = LookupSettings.TryCreate(options);

        Assert.Null(settings);
        var byOption = problems.ToLookup(p => p.Option);
        Assert.Equal(8, problems.Count);
        Assert.Contains("Unknown type 'STRNG'", Assert.Single(byOption["columns"]).Message);
        Assert.Contains("missing required option", Assert.Single(byOption["url"]).Message);
        Assert.Contains("'soon'", Assert.Single(byOption["http.source.lookup.request.timeout"]).Message);
        Assert.Equal(
            "invalid value 'many'; allowed values: single-value, array.",
            Assert.Single(byOption["http.source.lookup.result-type"]).Message);
        Assert.Equal(
            "Invalid value '-1': expected a whole number of at least 0.",
            Assert.Single(byOption["lookup.max-retries"]).Message);
        Assert.StartsWith("missing proxy host", Assert.Single(byOption["http.source.lookup.proxy.host"]).Message);
        Assert.Equal(OptionsHint, Assert.Single(byOption["colour"]).Message);
        Assert.Equal("unknown option; did you mean 'lookup.max-retries'?", Assert.Single(byOption["lookup.max-retrys"]).Message);
    }

    [Fact]
    public void LookupCreate_ExceptionListsEveryProblem()
    {
        var options = Lookup(("http.source.lookup.result-type", "many"), ("colour", "blue"));

        var exception = Assert.Throws<ConfigurationException>(() => LookupSettings.Create(options));

        Assert.Equal(2, exception.Problems.Count);
        Assert.StartsWith("Invalid configuration (2 problems):", exception.Message);
        Assert.Contains("  - table 'customers', option 'http.source.lookup.result-type': invalid value 'many'", exception.Message);
        Assert.Contains("  - table 'customers', option 'colour': " + OptionsHint, exception.Message);
    }

    [Fact]
    public void SinkTryCreate_EveryProblemListed()
    {
        var options = TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["connector"] = "http-sink",
            ["url"] = "ftp://127.0.0.1/orders",
            ["insert-method"] = "PATCH",
            ["sink.batch.max-size"] = "0",
            ["sink.flush-buffer.size"] = "lots",
            ["colour"] = "blue",
        });

        var (settings, problems) = SinkSettings.TryCreate(options);

        Assert.Null(settings);
        var byOption = problems.ToLookup(p => p.Option);
        Assert.Equal(5, problems.Count);
        Assert.Contains("expected an absolute http:// or https:// URL", Assert.Single(byOption["url"]).Message);
        Assert.Equal("invalid value 'PATCH'; allowed values: POST, PUT.", Assert.Single(byOption["insert-method"]).Message);
        Assert.Contains("'0'", Assert.Single(byOption["sink.batch.max-size"]).Message);
        Assert.Contains("'lots'", Assert.Single(byOption["sink.flush-buffer.size"]).Message);
        Assert.Equal(OptionsHint, Assert.Single(byOption["colour"]).Message);
    }

    [Theory]
    [InlineData("http.source.lookup.header.X-Any")]
    [InlineData("http.source.lookup.header.Origin")]
    [InlineData("http.source.lookup.header.Content-Type")]
    [InlineData("http.source.lookup.header.Authorization")]
    public void LookupHeaderFamily_Accepted(string name)
    {
        var (settings, problems) = LookupSettings.TryCreate(Lookup((name, "value")));

        Assert.Empty(problems);
        Assert.NotNull(settings);
    }

    [Fact]
    public void SinkHeaderFamily_Accepted()
    {
        var (settings, problems) = SinkSettings.TryCreate(Sink(("http.sink.header.X-Any", "value"), ("http.sink.header.Content-Type", "application/x-ndjson")));

        Assert.Empty(problems);
        Assert.NotNull(settings);
    }

    [Fact]
    public void HeaderFamily_PrefixAloneIsUnknown()
    {
        var (_, problems) = LookupSettings.TryCreate(Lookup(("http.source.lookup.header.", "value")));

        var problem = Assert.Single(problems);
        Assert.Equal("http.source.lookup.header.", problem.Option);
        Assert.StartsWith("unknown option; ", problem.Message);
    }

    [Fact]
    public void HeaderFamily_SinkHeaderOnLookupTable()
    {
        var (_, problems) = LookupSettings.TryCreate(Lookup(("http.sink.header.X-Any", "value")));

        var problem = Assert.Single(problems);
        Assert.Equal("http.sink.header.X-Any", problem.Option);
        Assert.StartsWith("unknown option; ", problem.Message);
    }

    [Fact]
    public void HeaderFamily_InvalidHeaderName()
    {
        var (_, problems) = LookupSettings.TryCreate(Lookup(("http.source.lookup.header.Bad Name", "value")));

        var problem = Assert.Single(problems);
        Assert.Equal("http.source.lookup.header.Bad Name", problem.Option);
        Assert.StartsWith("invalid header name 'Bad Name'", problem.Message);
    }

    [Fact]
    public void LookupSecrets_NeverInProblems()
    {
        const string ProxySecret = "Pr0xy-S3cret";
        const string OidcSecret = "0idc-S3cret";
        const string HeaderSecret = "H3ader-S3cret";
        var options = Lookup(
            ("http.source.lookup.proxy.password", ProxySecret),
            ("http.security.oidc.token.request", "grant_type=client_credentials&client_secret=" + OidcSecret),
            ("http.source.lookup.header.Authorization", "Bearer " + HeaderSecret + "\r\nX-Injected: 1"),
            ("http.source.lookup.header.X-Api-Key", HeaderSecret + "\n"),
            ("http.source.lookup.proxy.pasword", ProxySecret));

        var (settings, problems) = LookupSettings.TryCreate(options);

        Assert.Null(settings);
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Option == "http.source.lookup.proxy.password");
        Assert.Contains(problems, p => p.Option == "http.security.oidc.token.endpoint.url");
        Assert.Contains(problems, p => p.Option == "http.source.lookup.header.Authorization");
        Assert.Contains(problems, p => p.Option == "http.source.lookup.header.X-Api-Key");
        Assert.Contains(problems, p => p.Option == "http.source.lookup.proxy.pasword");
        var text = new ConfigurationException(problems).Message;
        Assert.DoesNotContain(ProxySecret, text);
        Assert.DoesNotContain(OidcSecret, text);
        Assert.DoesNotContain(HeaderSecret, text);
    }

    [Fact]
    public void LookupSecrets_HiddenWithInvalidProxy()
    {
        const string Secret = "Pr0xy-S3cret";
        var options = Lookup(
            ("http.source.lookup.proxy.host", "127.0.0.1"),
            ("http.source.lookup.proxy.port", "99999"),
            ("http.source.lookup.proxy.username", "user"),
            ("http.source.lookup.proxy.password", Secret));

        var (_, problems) = LookupSettings.TryCreate(options);

        var problem = Assert.Single(problems);
        Assert.Equal("http.source.lookup.proxy.port", problem.Option);
        Assert.DoesNotContain(Secret, problem.ToString());
    }

    [Fact]
    public void LookupSecrets_HiddenWithInvalidOidcEndpoint()
    {
        const string Secret = "0idc-S3cret";
        var options = Lookup(
            ("http.security.oidc.token.endpoint.url", "ftp://127.0.0.1/token?client_secret=" + Secret),
            ("http.security.oidc.token.request", "client_secret=" + Secret));

        var (_, problems) = LookupSettings.TryCreate(options);

        var problem = Assert.Single(problems);
        Assert.Equal("http.security.oidc.token.endpoint.url", problem.Option);
        Assert.Equal("invalid URL 'ftp://127.0.0.1/token?...'; expected an absolute http:// or https:// URL.", problem.Message);
        Assert.DoesNotContain(Secret, problem.ToString());
    }

    [Fact]
    public void LookupSecrets_HiddenInUrl()
    {
        const string Secret = "Url-S3cret";
        var options = Lookup(("url", "ftp://user:" + Secret + "@127.0.0.1/client?token=" + Secret));

        var (_, problems) = LookupSettings.TryCreate(options);

        var problem = Assert.Single(problems);
        Assert.Equal("url", problem.Option);
        Assert.Equal("invalid URL 'ftp://127.0.0.1/client?...'; expected an absolute http:// or https:// URL.", problem.Message);
        Assert.DoesNotContain(Secret, problem.ToString());
    }

    [Fact]
    public void LookupSecrets_HiddenInHttpUrl()
    {
        const string Secret = "Url-S3cret";
        var options = Lookup(("url", "http://user:" + Secret + "@127.0.0.1/client/{id}?token=" + Secret));

        var (_, problems) = LookupSettings.TryCreate(options);

        var problem = Assert.Single(problems);
        Assert.Equal("url", problem.Option);
        Assert.StartsWith("placeholder '{id}' is never filled", problem.Message);
        Assert.DoesNotContain(Secret, problem.ToString());
    }

    [Fact]
    public void SinkSecrets_NeverInProblems()
    {
        const string ProxySecret = "Pr0xy-S3cret";
        const string OidcSecret = "0idc-S3cret";
        const string HeaderSecret = "H3ader-S3cret";
        var options = Sink(
            ("http.sink.proxy.password", ProxySecret),
            ("http.security.oidc.token.request", "client_secret=" + OidcSecret),
            ("http.sink.header.Authorization", HeaderSecret + "\n"));

        var (settings, problems) = SinkSettings.TryCreate(options);

        Assert.Null(settings);
        Assert.Equal(3, problems.Count);
        var text = new ConfigurationException(problems).Message;
        Assert.DoesNotContain(ProxySecret, text);
        Assert.DoesNotContain(OidcSecret, text);
        Assert.DoesNotContain(HeaderSecret, text);
    }

    private static TableOptions Lookup(params (string Name, string Value)[] extra) =>
        Options("customers", new()
        {
            ["connector"] = "rest-lookup",
            ["columns"] = "id STRING, msg STRING",
            ["url"] = "http://127.0.0.1:8080/client",
        }, extra);

    private static TableOptions Sink(params (string Name, string Value)[] extra) =>
        Options("orders", new()
        {
            ["connector"] = "http-sink",
            ["url"] = "http://127.0.0.1:8080/orders",
        }, extra);

    private static TableOptions Options(string table, Dictionary<string, string> values, (string Name, string Value)[] extra)
    {
        foreach (var (name, value) in extra)
        {
            values[name] = value;
        }

        return TableOptions.FromDictionary(table, values);
    }
}
