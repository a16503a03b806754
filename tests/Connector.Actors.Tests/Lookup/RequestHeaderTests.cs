using Connector.Actors.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Header options: the Basic rule for Authorization, raw values and header injection.</summary>
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
}
