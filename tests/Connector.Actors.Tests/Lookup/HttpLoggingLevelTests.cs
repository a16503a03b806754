using Connector.Actors.Tests.Support;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// <c>http.logging.level</c>: what the Debug request and response lines of a POST lookup show at MIN, REQ_RESP and
/// MAX, with credential headers on both sides.
/// </summary>
public sealed class HttpLoggingLevelTests : LookupTestBase
{
    private const string RequestBody = """{"id":"1"}""";
    private const string ResponseBody = """{"msg":"found"}""";

    private static readonly string[] Secrets = ["S3cret-Auth", "S3cret-Cookie", "S3cret-Access", "S3cret-Session"];

    private readonly CapturingLoggerProvider _logs = new();

    public HttpLoggingLevelTests()
    {
        Server.Given(Request.Create().UsingPost())
            .RespondWith(Response.Create()
                .WithStatusCode(200)
                .WithHeader("Set-Cookie", "sid=S3cret-Session")
                .WithHeader("X-Server", "s-1")
                .WithBody(ResponseBody));
    }

    private string Url => BaseUrl + "/customers";

    private Dictionary<string, string> Options(string? level)
    {
        var options = BaseOptions();
        options["lookup-method"] = "POST";
        options["lookup.max-retries"] = "0";
        options["http.source.lookup.use-raw-authorization-header"] = "true";
        options["http.source.lookup.header.Authorization"] = "Bearer S3cret-Auth";
        options["http.source.lookup.header.Cookie"] = "sid=S3cret-Cookie";
        options["http.source.lookup.header.X-Access-Token"] = "S3cret-Access";
        options["http.source.lookup.header.X-Trace"] = "trace-1";
        if (level is not null)
        {
            options[CommonOptions.LoggingLevel] = level;
        }

        return options;
    }

    /// <summary>Runs one lookup and returns its Debug request line and response line.</summary>
    private async Task<(string Request, string Response)> LogOneLookupAsync(string? level)
    {
        using var factory = _logs.CreateFactory();
        var output = await RunAsync(Options(level), IdSource, [SourceRow(IdSource, "1")], IdJoin, new LookupJoinOptions { LoggerFactory = factory });

        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        var request = Assert.Single(_logs.Lines, line => line.Contains("customers: HTTP POST request to", StringComparison.Ordinal));
        var response = Assert.Single(_logs.Lines, line => line.Contains("customers: HTTP POST response from", StringComparison.Ordinal));
        Assert.StartsWith("Debug ", request, StringComparison.Ordinal);
        Assert.StartsWith("Debug ", response, StringComparison.Ordinal);
        return (request, response);
    }

    private void AssertNoSecretLogged()
    {
        foreach (var line in _logs.Lines)
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Min_MethodUrlStatusOnly()
    {
        var (request, response) = await LogOneLookupAsync(null);

        Assert.Contains($"HTTP POST request to {Url}, headers ***, body ***", request, StringComparison.Ordinal);
        Assert.Contains($"HTTP POST response from {Url}, status 200, headers ***, body ***", response, StringComparison.Ordinal);
        Assert.DoesNotContain("found", response, StringComparison.Ordinal);
        AssertNoSecretLogged();
    }

    [Theory]
    [InlineData("REQ_RESP")]
    [InlineData("REQRESPONSE")]
    [InlineData("req_resp")]
    public async Task ReqResp_BodiesWithoutHeaders(string level)
    {
        var (request, response) = await LogOneLookupAsync(level);

        Assert.Contains($"HTTP POST request to {Url}, headers ***, body {RequestBody}", request, StringComparison.Ordinal);
        Assert.Contains($"HTTP POST response from {Url}, status 200, headers ***, body {ResponseBody}", response, StringComparison.Ordinal);
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task Max_HeaderValuesWithSecretsRedacted()
    {
        var (request, response) = await LogOneLookupAsync("MAX");

        Assert.Contains($"HTTP POST request to {Url}, headers ", request, StringComparison.Ordinal);
        Assert.Contains("X-Trace:[trace-1]", request, StringComparison.Ordinal);
        Assert.Contains("Authorization:[***]", request, StringComparison.Ordinal);
        Assert.Contains("Cookie:[***]", request, StringComparison.Ordinal);
        Assert.Contains("X-Access-Token:[***]", request, StringComparison.Ordinal);
        Assert.Contains("Content-Type:[application/json; charset=utf-8]", request, StringComparison.Ordinal);
        Assert.EndsWith($"body {RequestBody}", request, StringComparison.Ordinal);

        Assert.Contains($"HTTP POST response from {Url}, status 200, headers ", response, StringComparison.Ordinal);
        Assert.Contains("X-Server:[s-1]", response, StringComparison.Ordinal);
        Assert.Contains("Set-Cookie:[***]", response, StringComparison.Ordinal);
        Assert.EndsWith($"body {ResponseBody}", response, StringComparison.Ordinal);
        AssertNoSecretLogged();
    }

    [Theory]
    [InlineData("VERBOSE")]
    [InlineData("REQ-RESP")]
    public void InvalidValue_ListsAllowedValues(string level)
    {
        var (_, problems) = LookupSettings.TryCreate(TableOptions.FromDictionary(TableName, Options(level)));

        var problem = Assert.Single(problems);
        Assert.Equal(CommonOptions.LoggingLevel, problem.Option);
        Assert.Contains($"'{level}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("MIN, REQ_RESP, REQRESPONSE, MAX", problem.Message, StringComparison.Ordinal);
    }
}
