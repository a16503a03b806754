using Connector.Actors.Tests.Support;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// <c>http.source.lookup.request-callback</c>: the Debug line that sums up each lookup after its retries. Key 1 gets
/// a 503 and then a 200, and key 2 gets a 200 at once.
/// </summary>
public sealed class RequestCallbackTests : LookupTestBase
{
    private readonly CapturingLoggerProvider _logs = new();

    public RequestCallbackTests()
    {
        Server.Given(Request.Create().UsingGet().WithParam("id", "1")).InScenario("key 1").WillSetStateTo("retried")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("busy"));
        Server.Given(Request.Create().UsingGet().WithParam("id", "1")).InScenario("key 1").WhenStateIs("retried")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"found"}"""));
        Server.Given(Request.Create().UsingGet().WithParam("id", "2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"found"}"""));
    }

    private Dictionary<string, string> Options(string? callback)
    {
        var options = BaseOptions();
        options["lookup.max-retries"] = "2";
        if (callback is not null)
        {
            options[LookupOptions.RequestCallback] = callback;
        }

        return options;
    }

    private async Task<IReadOnlyList<string>> CallbackLinesAsync(string? callback)
    {
        using var factory = _logs.CreateFactory();
        var output = await RunAsync(
            Options(callback),
            IdSource,
            [SourceRow(IdSource, "1"), SourceRow(IdSource, "2")],
            IdJoin,
            new LookupJoinOptions { LoggerFactory = factory });

        Assert.Equal(["found", "found"], output.Select(row => LookupRow(row)["msg"]));
        Assert.Equal(3, Requests.Count);

        // The exchange log lines read "customers: HTTP GET ...", and the callback line reads
        // "customers: GET <url> -> ...".
        return _logs.Lines.Where(line => line.Contains("customers: GET ", StringComparison.Ordinal)).ToList();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("slf4j-lookup-logger")]
    [InlineData("logger")]
    public async Task Logger_OneLinePerLookup(string? callback)
    {
        var lines = await CallbackLinesAsync(callback);

        Assert.Equal(2, lines.Count);
        var first = Assert.Single(lines, line => line.Contains("?id=1", StringComparison.Ordinal));
        var second = Assert.Single(lines, line => line.Contains("?id=2", StringComparison.Ordinal));
        Assert.Equal($"Debug Connector.Actors.Lookup: customers: GET {BaseUrl}/customers?id=1 -> 200 after 2 attempt(s)", first);
        Assert.Equal($"Debug Connector.Actors.Lookup: customers: GET {BaseUrl}/customers?id=2 -> 200 after 1 attempt(s)", second);
    }

    [Fact]
    public async Task None_LogsNoLine()
    {
        var lines = await CallbackLinesAsync("none");

        Assert.Empty(lines);
        Assert.Contains(_logs.Lines, line => line.Contains("customers: HTTP GET response from", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("slf4j")]
    [InlineData("console")]
    public void UnknownValue_ListsAllowedValues(string callback)
    {
        var (_, problems) = LookupSettings.TryCreate(TableOptions.FromDictionary(TableName, Options(callback)));

        var problem = Assert.Single(problems);
        Assert.Equal(LookupOptions.RequestCallback, problem.Option);
        Assert.Contains($"'{callback}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("slf4j-lookup-logger, http-slf4j-lookup-logger, logger, none", problem.Message, StringComparison.Ordinal);
    }
}
