using Connector.Actors.Options;
using Connector.Actors.Sink;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// Header options: the Basic rule for Authorization, raw values, header injection and characters a header value
/// cannot carry.
/// </summary>
public sealed class RequestHeaderTests : LookupTestBase
{
    private const string AuthorizationOption = "http.source.lookup.header.Authorization";

    public RequestHeaderTests()
    {
        Server.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"ok"}"""));
    }

    private async Task<string> SentAuthorizationAsync(Dictionary<string, string> options)
    {
        await LookupAsync(options, "1");
        var headers = Assert.Single(Requests).RequestMessage.Headers!;
        return Assert.Single(headers["Authorization"]);
    }

    [Fact]
    public async Task Authorization_UserPasswordBasicEncoded()
    {
        var options = BaseOptions();
        options[AuthorizationOption] = "user:password";

        Assert.Equal("Basic dXNlcjpwYXNzd29yZA==", await SentAuthorizationAsync(options));
    }

    [Fact]
    public async Task Authorization_BasicValueUnchanged()
    {
        var options = BaseOptions();
        options[AuthorizationOption] = "Basic xyz";

        Assert.Equal("Basic xyz", await SentAuthorizationAsync(options));
    }

    [Fact]
    public async Task Authorization_BearerEncodedWithoutRaw()
    {
        var options = BaseOptions();
        options[AuthorizationOption] = "Bearer abc";

        Assert.Equal("Basic QmVhcmVyIGFiYw==", await SentAuthorizationAsync(options));
    }

    [Fact]
    public async Task Authorization_RawBearerUnchanged()
    {
        var options = BaseOptions();
        options[AuthorizationOption] = "Bearer abc";
        options["http.source.lookup.use-raw-authorization-header"] = "true";

        Assert.Equal("Bearer abc", await SentAuthorizationAsync(options));
    }

    [Fact]
    public async Task Authorization_SentWithPost()
    {
        var options = BaseOptions();
        options["lookup-method"] = "POST";
        options[AuthorizationOption] = "user:password";

        Assert.Equal("Basic dXNlcjpwYXNzd29yZA==", await SentAuthorizationAsync(options));
    }

    [Theory]
    [InlineData("a\r\nX-Injected: 1")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    public void LineBreak_Rejected(string value)
    {
        var options = BaseOptions();
        options["http.source.lookup.header.X-Custom"] = value;

        var error = Assert.Throws<ConfigurationException>(() => CreateSettings(options));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("http.source.lookup.header.X-Custom", problem.Option);
        Assert.Contains("CR or LF", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidName_Rejected()
    {
        var options = BaseOptions();
        options["http.source.lookup.header.X Custom"] = "v";

        var error = Assert.Throws<ConfigurationException>(() => CreateSettings(options));

        var problem = Assert.Single(error.Problems);
        Assert.Contains("invalid header name 'X Custom'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Zürich", "a non-ASCII character, U+00FC, at position 2", "'Zürich'")]
    [InlineData("a\u0001b", "a control character, U+0001, at position 2", "'a\\u0001b'")]
    [InlineData("a\u007Fb", "a control character, U+007F, at position 2", "'a\\u007Fb'")]
    public void UnsendableValue_Rejected(string value, string expected, string shownValue)
    {
        var options = BaseOptions();
        options["http.source.lookup.header.X-Name"] = value;

        var error = Assert.Throws<ConfigurationException>(() => CreateSettings(options));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("http.source.lookup.header.X-Name", problem.Option);
        Assert.StartsWith($"table '{TableName}', option 'http.source.lookup.header.X-Name': invalid header value", problem.ToString());
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Contains(shownValue, problem.Message, StringComparison.Ordinal);
        Assert.Contains("only printable ASCII characters", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Api_Key", false)]
    [InlineData("Private-Key", false)]
    [InlineData("Cookie", false)]
    [InlineData("Proxy-Authorization", false)]
    [InlineData("Authorization", true)]
    public void UnsendableCredential_RejectedWithoutValue(string header, bool raw)
    {
        var options = BaseOptions();
        options["http.source.lookup.header." + header] = "Bearer Zürich-S3cret";
        options["http.source.lookup.use-raw-authorization-header"] = raw ? "true" : "false";

        var error = Assert.Throws<ConfigurationException>(() => CreateSettings(options));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("http.source.lookup.header." + header, problem.Option);
        Assert.Contains("hidden because the header is a credential", problem.Message, StringComparison.Ordinal);
        Assert.Contains("a non-ASCII character", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Zürich", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAsciiBasicCredentials_EncodedAndSent()
    {
        var options = BaseOptions();
        options[AuthorizationOption] = "user:pässword";

        Assert.Equal("Basic dXNlcjpww6Rzc3dvcmQ=", await SentAuthorizationAsync(options));
    }

    [Fact]
    public void SinkUnsendableValue_Rejected()
    {
        var options = new Dictionary<string, string>
        {
            [CommonOptions.Connector] = SinkOptions.ConnectorId,
            [CommonOptions.Url] = BaseUrl + "/orders",
            [SinkOptions.HeaderPrefix + "X-Q"] = "ünï",
            [SinkOptions.HeaderPrefix + "X-Region"] = "eu",
        };

        var error = Assert.Throws<ConfigurationException>(() => SinkSettings.Create(TableOptions.FromDictionary("orders", options)));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("table 'orders'", problem.Scope);
        Assert.Equal(SinkOptions.HeaderPrefix + "X-Q", problem.Option);
        Assert.Contains("a non-ASCII character, U+00FC, at position 1", problem.Message, StringComparison.Ordinal);
    }
}
