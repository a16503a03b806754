using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Metadata columns with continue-on-error: every lookup yields a row that describes its outcome.</summary>
public sealed class MetadataColumnTests : LookupTestBase
{
    private const string Columns =
        "id STRING, msg STRING, " +
        "status INT METADATA FROM 'http-status-code', " +
        "state STRING METADATA FROM 'http-completion-state', " +
        "err STRING METADATA FROM 'error-string', " +
        "hdrs MAP<STRING, ARRAY<STRING>> METADATA FROM 'http-headers'";

    private Dictionary<string, string> Options()
    {
        var options = BaseOptions();
        options["columns"] = Columns;
        options["http.source.lookup.continue-on-error"] = "true";
        options["lookup.max-retries"] = "0";
        return options;
    }

    private void RespondWith(int status, string body) =>
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("X-Trace", "t-1").WithBody(body));

    private async Task<Row> LookupOneAsync(Dictionary<string, string> options, string id = "7")
    {
        var output = await LookupAsync(options, id);
        var row = Assert.Single(output);
        Assert.Equal(id, row["id"]);
        return LookupRow(row);
    }

    [Fact]
    public async Task Success_StateAndHeaders()
    {
        RespondWith(200, """{"id":"7","msg":"hello"}""");

        var lookup = await LookupOneAsync(Options());

        Assert.Equal("hello", lookup["msg"]);
        Assert.Equal(CompletionState.Success, lookup["state"]);
        Assert.Equal(200, lookup["status"]);
        Assert.Null(lookup["err"]);
        var headers = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(lookup["hdrs"]);
        Assert.Equal(["t-1"], Assert.IsType<object?[]>(headers["X-Trace"]));
    }

    [Fact]
    public async Task MissingKeyColumn_TakesKeyValue()
    {
        RespondWith(200, """{"msg":"no id in body"}""");

        var lookup = await LookupOneAsync(Options());

        Assert.Equal("7", lookup["id"]);
        Assert.Equal("no id in body", lookup["msg"]);
    }

    [Fact]
    public async Task MissingKeyColumn_WithoutMetadata()
    {
        RespondWith(200, """{"msg":"no id in body"}""");

        var lookup = await LookupOneAsync(BaseOptions());

        Assert.Equal("7", lookup["id"]);
    }

    [Fact]
    public async Task ErrorStatus_RowWithBody()
    {
        RespondWith(500, "internal failure");

        var lookup = await LookupOneAsync(Options());

        Assert.Null(lookup["id"]);
        Assert.Null(lookup["msg"]);
        Assert.Equal(CompletionState.HttpErrorStatus, lookup["state"]);
        Assert.Equal(500, lookup["status"]);
        Assert.Equal("internal failure", lookup["err"]);
        Assert.NotNull(lookup["hdrs"]);
        Assert.Single(Requests);
    }

    [Fact]
    public async Task InvalidBody_UnableToDeserialize()
    {
        RespondWith(200, "<html>not json</html>");

        var lookup = await LookupOneAsync(Options());

        Assert.Null(lookup["msg"]);
        Assert.Equal(CompletionState.UnableToDeserializeResponse, lookup["state"]);
        Assert.Equal(200, lookup["status"]);
        Assert.Equal("<html>not json</html>", lookup["err"]);
    }

    [Fact]
    public async Task OutOfRangeSmallInt_UnableToDeserialize()
    {
        RespondWith(200, """{"id":"7","msg":"hello","rank":40000}""");
        var options = Options();
        options["columns"] = Columns + ", rank SMALLINT";

        var lookup = await LookupOneAsync(options);

        Assert.Null(lookup["msg"]);
        Assert.Null(lookup["rank"]);
        Assert.Equal(CompletionState.UnableToDeserializeResponse, lookup["state"]);
        Assert.Equal(200, lookup["status"]);
        Assert.Equal("""{"id":"7","msg":"hello","rank":40000}""", lookup["err"]);
    }

    [Fact]
    public async Task IgnoreParseErrors_SuccessWithoutData()
    {
        RespondWith(200, "<html>not json</html>");
        var options = Options();
        options["json.ignore-parse-errors"] = "true";

        var lookup = await LookupOneAsync(options);

        Assert.Null(lookup["msg"]);
        Assert.Equal(CompletionState.Success, lookup["state"]);
        Assert.Equal(200, lookup["status"]);
        Assert.Null(lookup["err"]);
    }

    [Fact]
    public async Task ConnectionRefused_ExceptionState()
    {
        var options = Options();
        options["url"] = $"http://127.0.0.1:{ClosedPort()}/customers";

        var lookup = await LookupOneAsync(options);

        Assert.Null(lookup["msg"]);
        Assert.Equal(CompletionState.Exception, lookup["state"]);
        Assert.Null(lookup["status"]);
        Assert.Null(lookup["hdrs"]);
        Assert.False(string.IsNullOrEmpty(lookup["err"] as string), "the error text is empty");
    }

    [Fact]
    public async Task IgnoredStatus_IgnoreState()
    {
        RespondWith(404, "not found");
        var options = Options();
        options["http.source.lookup.ignored-response-codes"] = "404";

        var lookup = await LookupOneAsync(options);

        Assert.Null(lookup["msg"]);
        Assert.Equal(CompletionState.IgnoreStatusCode, lookup["state"]);
        Assert.Equal(404, lookup["status"]);
        Assert.Null(lookup["err"]);
    }

    [Fact]
    public async Task ContinueOnError_WithoutMetadataDropsRow()
    {
        RespondWith(500, "internal failure");
        var options = BaseOptions();
        options["http.source.lookup.continue-on-error"] = "true";
        options["lookup.max-retries"] = "0";

        var output = await LookupAsync(options, "7", "8");

        Assert.Empty(output);
        Assert.Equal(2, Requests.Count);
    }
}
