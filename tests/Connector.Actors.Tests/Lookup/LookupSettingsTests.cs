using Connector.Actors.Lookup;
using Connector.Actors.Options;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Option validation in <see cref="LookupSettings.Create"/>, without a server.</summary>
public sealed class LookupSettingsTests
{
    private static Dictionary<string, string> ValidOptions() => new()
    {
        ["connector"] = "rest-lookup",
        ["url"] = "http://127.0.0.1:9/customers",
        ["columns"] = "id STRING, msg STRING",
    };

    private static LookupSettings Create(Dictionary<string, string> options) =>
        LookupSettings.Create(TableOptions.FromDictionary("customers", options));

    private static ConfigurationException CreateFails(Dictionary<string, string> options) =>
        Assert.Throws<ConfigurationException>(() => Create(options));

    [Fact]
    public void Valid_Defaults()
    {
        var settings = Create(ValidOptions());

        Assert.Equal("customers", settings.TableName);
        Assert.Equal(HttpMethod.Get, settings.Method);
        Assert.Equal(QueryCreatorKind.GenericGetQuery, settings.QueryCreator);
        Assert.Equal(LookupResultType.SingleValue, settings.ResultType);
        Assert.Equal(8, settings.Parallelism);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.RequestTimeout);
        Assert.Equal(3, settings.Retry.MaxRetries);
        Assert.False(settings.ContinueOnError);
        Assert.Null(settings.Cache);
    }

    [Fact]
    public void UnknownOption_SuggestsClosest()
    {
        var options = ValidOptions();
        options["http.source.lookup.request.timeot"] = "5s";

        var error = CreateFails(options);

        var problem = Assert.Single(error.Problems);
        Assert.Equal("http.source.lookup.request.timeot", problem.Option);
        Assert.Contains("unknown option", problem.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'http.source.lookup.request.timeout'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingUrl_Rejected()
    {
        var options = ValidOptions();
        options.Remove("url");

        var error = CreateFails(options);

        var problem = Assert.Single(error.Problems);
        Assert.Equal("url", problem.Option);
        Assert.Contains("missing required option", problem.Message, StringComparison.Ordinal);
        Assert.Contains("table 'customers'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/customers")]
    [InlineData("not a url")]
    [InlineData("/customers")]
    public void InvalidUrl_Rejected(string url)
    {
        var options = ValidOptions();
        options["url"] = url;

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("url", problem.Option);
        Assert.Contains("invalid URL", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /x")]
    [InlineData("P0ST")]
    [InlineData(" ")]
    public void BadMethod_Rejected(string method)
    {
        var options = ValidOptions();
        options["lookup-method"] = method;

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("lookup-method", problem.Option);
        Assert.Contains("invalid method", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("post", "POST")]
    [InlineData("Put", "PUT")]
    [InlineData(" get ", "GET")]
    public void Method_CaseInsensitive(string configured, string expected)
    {
        var options = ValidOptions();
        options["lookup-method"] = configured;

        Assert.Equal(expected, Create(options).Method.Method);
    }

    [Fact]
    public void SeveralProblems_AllListed()
    {
        var options = ValidOptions();
        options.Remove("url");
        options["lookup-method"] = "GET /x";
        options["http.source.lookup.request.timeot"] = "5s";
        options["lookup.max-retries"] = "-1";

        var error = CreateFails(options);

        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Option == "url");
        Assert.Contains(error.Problems, p => p.Option == "lookup-method");
        Assert.Contains(error.Problems, p => p.Option == "http.source.lookup.request.timeot");
        Assert.Contains(error.Problems, p => p.Option == "lookup.max-retries");
        Assert.StartsWith("Invalid configuration (4 problems):", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fixed_delay")]
    [InlineData("exponential")]
    public void RetryStrategy_UnknownRejected(string strategy)
    {
        var options = ValidOptions();
        options["http.source.lookup.retry-strategy.type"] = strategy;

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("http.source.lookup.retry-strategy.type", problem.Option);
        Assert.Contains($"invalid value '{strategy}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("fixed-delay, exponential-delay", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetryStrategy_InitialAboveMaxRejected()
    {
        var options = ValidOptions();
        options["http.source.lookup.retry-strategy.type"] = "exponential-delay";
        options["http.source.lookup.retry-strategy.exponential-delay.initial-backoff"] = "2s";
        options["http.source.lookup.retry-strategy.exponential-delay.max-backoff"] = "1s";

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("http.source.lookup.retry-strategy.exponential-delay.initial-backoff", problem.Option);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("30", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("1min", 60_000)]
    public void RequestTimeout_Accepted(string text, int milliseconds)
    {
        var options = ValidOptions();
        options["http.source.lookup.request.timeout"] = text;

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Create(options).RequestTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5s")]
    [InlineData("5 parsecs")]
    public void RequestTimeout_InvalidRejected(string text)
    {
        var options = ValidOptions();
        options["http.source.lookup.request.timeout"] = text;

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("http.source.lookup.request.timeout", problem.Option);
    }

    [Fact]
    public void ResultType_UnknownRejected()
    {
        var options = ValidOptions();
        options["http.source.lookup.result-type"] = "list";

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("http.source.lookup.result-type", problem.Option);
        Assert.Contains("single-value, array", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusCodes_InvalidEntryRejected()
    {
        var options = ValidOptions();
        options["http.source.lookup.success-codes"] = "2XX,!4XX";

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("http.source.lookup.success-codes", problem.Option);
        Assert.Contains("'!4XX'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheOption_WithoutPartialRejected()
    {
        var options = ValidOptions();
        options["lookup.partial-cache.max-rows"] = "100";

        var problem = Assert.Single(CreateFails(options).Problems);

        Assert.Equal("lookup.partial-cache.max-rows", problem.Option);
        Assert.Contains("lookup.cache = PARTIAL", problem.Message, StringComparison.Ordinal);
    }
}
