using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Response bodies decoded into lookup rows by column name, for both result types.</summary>
public sealed class ResponseDecodingTests : LookupTestBase
{
    private void RespondWith(string body) =>
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task Decode_NestedRowFields()
    {
        RespondWith("""{"id":"1","msg":"hello","details":{"isActive":true,"address":{"city":"Oslo"}}}""");
        var options = BaseOptions();
        options["columns"] = "id STRING, msg STRING, details ROW<isActive BOOLEAN, address ROW<city STRING>>";

        var output = await LookupAsync(options, "1");

        var lookup = LookupRow(Assert.Single(output));
        Assert.Equal("hello", lookup["msg"]);
        var details = Assert.IsType<Connector.Actors.Schema.Row>(lookup["details"]);
        Assert.Equal(true, details["isActive"]);
        var address = Assert.IsType<Connector.Actors.Schema.Row>(details["address"]);
        Assert.Equal("Oslo", address["city"]);
    }

    [Fact]
    public async Task Decode_MissingFieldsNull()
    {
        RespondWith("""{"id":"1","details":{}}""");
        var options = BaseOptions();
        options["columns"] = "id STRING, msg STRING, details ROW<isActive BOOLEAN>, score INT";

        var output = await LookupAsync(options, "1");

        var lookup = LookupRow(Assert.Single(output));
        Assert.Null(lookup["msg"]);
        Assert.Null(lookup["score"]);
        var details = Assert.IsType<Connector.Actors.Schema.Row>(lookup["details"]);
        Assert.Null(details["isActive"]);
    }

    [Fact]
    public async Task Decode_ExtraFieldsIgnored()
    {
        RespondWith("""{"extra":{"deep":[1,2,{"x":null}]},"id":"1","msg":"kept","more":[true],"last":"x"}""");

        var output = await LookupAsync(BaseOptions(), "1");

        var lookup = LookupRow(Assert.Single(output));
        Assert.Equal(2, lookup.Values.Length);
        Assert.Equal("1", lookup["id"]);
        Assert.Equal("kept", lookup["msg"]);
    }

    [Fact]
    public async Task ArrayResult_RowPerElement()
    {
        RespondWith("""[{"id":"1","msg":"a"},null,{"id":"1","msg":"b"},{"id":"1","msg":"c"}]""");
        var options = BaseOptions();
        options["http.source.lookup.result-type"] = "array";

        var output = await LookupAsync(options, "1");

        Assert.Equal(["a", "b", "c"], output.Select(row => LookupRow(row)["msg"]));
        Assert.All(output, row => Assert.Equal("1", row["id"]));
    }

    [Fact]
    public async Task ArrayResult_EmptyArrayNoRows()
    {
        RespondWith("[]");
        var options = BaseOptions();
        options["http.source.lookup.result-type"] = "array";

        var output = await LookupAsync(options, "1");

        Assert.Empty(output);
    }

    [Fact]
    public async Task ArrayResult_ObjectBodyFails()
    {
        RespondWith("""{"id":"1","msg":"a"}""");
        var options = BaseOptions();
        options["http.source.lookup.result-type"] = "array";

        var failure = await LookupFailureAsync(options);

        Assert.Contains("cannot be decoded", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Expected a JSON array", failure.Message, StringComparison.Ordinal);
        Assert.IsType<Connector.Actors.Schema.RowDecodeException>(failure.InnerException);
        Assert.Equal(200, failure.StatusCode);
    }

    [Fact]
    public async Task SingleValue_ObjectIsOneRow()
    {
        RespondWith("""{"id":"1","msg":"only"}""");
        var options = BaseOptions();
        options["http.source.lookup.result-type"] = "single-value";

        var output = await LookupAsync(options, "1");

        Assert.Equal("only", LookupRow(Assert.Single(output))["msg"]);
    }

    [Fact]
    public async Task TinyInt_EdgeValuesDecoded()
    {
        RespondWith("""{"id":"1","low":-128,"high":"127","wide":-32768}""");
        var options = BaseOptions();
        options["columns"] = "id STRING, low TINYINT, high TINYINT, wide SMALLINT";

        var output = await LookupAsync(options, "1");

        var lookup = LookupRow(Assert.Single(output));
        Assert.Equal(-128, lookup["low"]);
        Assert.Equal(127, lookup["high"]);
        Assert.Equal(-32768, lookup["wide"]);
    }

    [Fact]
    public async Task TinyInt_OutOfRangeFailsLookup()
    {
        RespondWith("""{"id":"1","level":300}""");
        var options = BaseOptions();
        options["columns"] = "id STRING, level TINYINT";

        var failure = await LookupFailureAsync(options);

        Assert.Contains("cannot be decoded", failure.Message, StringComparison.Ordinal);
        Assert.Contains(
            "Cannot read a number at $.level as TINYINT: value 300 is outside the TINYINT range -128 to 127.",
            failure.Message,
            StringComparison.Ordinal);
        Assert.IsType<Connector.Actors.Schema.RowDecodeException>(failure.InnerException);
        Assert.Equal(200, failure.StatusCode);
    }

    [Fact]
    public async Task TinyInt_OutOfRangeIgnoredNoData()
    {
        RespondWith("""{"id":"1","level":300}""");
        var options = BaseOptions();
        options["columns"] = "id STRING, level TINYINT";
        options["json.ignore-parse-errors"] = "true";

        var output = await LookupAsync(options, "1");

        // The inner join drops the element because the ignored body yields no lookup row.
        Assert.Empty(output);
        Assert.Single(Requests);
    }

    [Fact]
    public async Task SingleValue_InvalidJsonFails()
    {
        RespondWith("""{"id":"1","msg":""");

        var failure = await LookupFailureAsync(BaseOptions());

        Assert.Contains("cannot be decoded", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid JSON", failure.Message, StringComparison.Ordinal);
    }
}
