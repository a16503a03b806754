using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>GET lookups: key columns become a form-encoded query string, and header options are sent.</summary>
public sealed class GetQueryTests : LookupTestBase
{
    private static readonly RowType TwoKeySource = TypeParser.ParseColumns("id STRING, id2 STRING");

    public GetQueryTests()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"found"}"""));
    }

    [Fact]
    public async Task Query_KeysInColumnOrder()
    {
        var options = BaseOptions();
        options["columns"] = "id STRING, id2 STRING, msg STRING";

        // The join lists id2 first, but keys are sent in the table's column order.
        var join = new LookupJoinSpec("c", [new("id2", "id2"), new("id", "id")]);
        var output = await RunAsync(options, TwoKeySource, [SourceRow(TwoKeySource, "1", "2")], join);

        Assert.Single(output);
        Assert.Equal("found", LookupRow(output[0])["msg"]);
        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("GET", request.Method);
        Assert.Equal("/customers", request.AbsolutePath);
        Assert.Equal("?id=1&id2=2", request.RawQuery);
    }

    [Theory]
    [InlineData("a b", "a+b")]
    [InlineData("a=b&c=d", "a%3Db%26c%3Dd")]
    [InlineData("é", "%C3%A9")]
    [InlineData("x/y?z#w", "x%2Fy%3Fz%23w")]
    [InlineData("A-z_0.9*", "A-z_0.9*")]
    public async Task Query_FormEncodesValue(string value, string encoded)
    {
        await LookupAsync(BaseOptions(), value);

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("?id=" + encoded, request.RawQuery);
    }

    [Fact]
    public async Task Query_EncodedValueStaysOneParameter()
    {
        await LookupAsync(BaseOptions(), "a=b&c=d");

        var request = Assert.Single(Requests).RequestMessage;
        var parameter = Assert.Single(request.Query!);
        Assert.Equal("id", parameter.Key);
        Assert.Equal("a=b&c=d", Assert.Single(parameter.Value));
    }

    [Fact]
    public async Task Query_NullKeyOmitted()
    {
        var options = BaseOptions();
        options["columns"] = "id STRING, id2 STRING, msg STRING";
        var join = new LookupJoinSpec("c", [new("id", "id"), new("id2", "id2")]);

        await RunAsync(options, TwoKeySource, [SourceRow(TwoKeySource, "1", null)], join);

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("?id=1", request.RawQuery);
    }

    [Theory]
    [InlineData("TINYINT", 127, "127")]
    [InlineData("TINYINT", -128, "-128")]
    [InlineData("SMALLINT", 32767, "32767")]
    public async Task Query_IntegerKeyInRange(string keyType, int key, string query)
    {
        var source = TypeParser.ParseColumns("level INT");
        var options = BaseOptions();
        options["columns"] = $"level {keyType}, msg STRING";

        var output = await RunAsync(options, source, [SourceRow(source, key)], new LookupJoinSpec("c", [new("level", "level")]));

        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        Assert.Equal("?level=" + query, Assert.Single(Requests).RequestMessage.RawQuery);
    }

    [Theory]
    [InlineData("TINYINT", "INT", 300, "key column 'level' has value 300, which is outside the TINYINT range -128 to 127.")]
    [InlineData("TINYINT", "BIGINT", -129L, "key column 'level' has value -129, which is outside the TINYINT range -128 to 127.")]
    [InlineData("SMALLINT", "INT", 32768, "key column 'level' has value 32768, which is outside the SMALLINT range -32768 to 32767.")]
    [InlineData("INT", "BIGINT", 3_000_000_000L, "key column 'level' has value 3000000000, which is outside the INT range -2147483648 to 2147483647.")]
    public async Task Query_IntegerKeyOutOfRangeFails(string keyType, string sourceType, object key, string reason)
    {
        // The upstream column is wider than the lookup key column, so its value can exceed the key column's range.
        var source = TypeParser.ParseColumns("level " + sourceType);
        var options = BaseOptions();
        options["columns"] = $"level {keyType}, msg STRING";

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, source, [SourceRow(source, key)], new LookupJoinSpec("c", [new("level", "level")])));

        Assert.Equal($"Lookup in table 'customers' failed: {reason}", failure.Message);
        Assert.IsType<LookupKeyException>(failure.InnerException);
        Assert.Empty(Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Query_InvalidKeyStopsLaterLookups(bool cache)
    {
        // Five valid keys follow the invalid one, and eight lookups may run at once.
        var source = TypeParser.ParseColumns("level INT");
        var options = BaseOptions();
        options["columns"] = "level TINYINT, msg STRING";
        options["http.source.lookup.request.thread-pool.size"] = "8";
        if (cache)
        {
            options["lookup.cache"] = "PARTIAL";
        }

        var rows = new object[] { 300, 1, 2, 3, 4, 5 }.Select(level => SourceRow(source, level)).ToList();

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, source, rows, new LookupJoinSpec("c", [new("level", "level")])));

        Assert.IsType<LookupKeyException>(failure.InnerException);

        // A request started before the failure could still be on its way to the server.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Empty(Requests);
    }

    [Theory]
    [InlineData("TINYINT", "STRING", "300", "key column 'level' has string value '300', which is not a whole number in the TINYINT range -128 to 127.")]
    [InlineData("SMALLINT", "STRING", "12.5", "key column 'level' has string value '12.5', which is not a whole number in the SMALLINT range -32768 to 32767.")]
    [InlineData("INT", "STRING", "abc", "key column 'level' has string value 'abc', which is not a whole number in the INT range -2147483648 to 2147483647.")]
    [InlineData("INT", "STRING", "99999999999999999999", "key column 'level' has string value '99999999999999999999', which is not a whole number in the INT range -2147483648 to 2147483647.")]
    [InlineData("TINYINT", "DOUBLE", 1.5, "key column 'level' has value 1.5, which is not a whole number in the TINYINT range -128 to 127.")]
    [InlineData("TINYINT", "DOUBLE", 300.0, "key column 'level' has value 300, which is not a whole number in the TINYINT range -128 to 127.")]
    [InlineData("INT", "DOUBLE", double.NaN, "key column 'level' has value NaN, which is not a whole number in the INT range -2147483648 to 2147483647.")]
    [InlineData("SMALLINT", "DECIMAL(10, 2)", 40000.0, "key column 'level' has value 40000, which is not a whole number in the SMALLINT range -32768 to 32767.")]
    [InlineData("INT", "DECIMAL(10, 2)", 7.25, "key column 'level' has value 7.25, which is not a whole number in the INT range -2147483648 to 2147483647.")]
    public async Task Query_NonIntegerKeyOutOfRangeFails(string keyType, string sourceType, object key, string reason)
    {
        var source = TypeParser.ParseColumns("level " + sourceType);
        var options = BaseOptions();
        options["columns"] = $"level {keyType}, msg STRING";
        var value = sourceType.StartsWith("DECIMAL", StringComparison.Ordinal) ? (decimal)(double)key : key;

        var failure = await Assert.ThrowsAsync<LookupFailedException>(
            () => RunAsync(options, source, [SourceRow(source, value)], new LookupJoinSpec("c", [new("level", "level")])));

        Assert.Equal($"Lookup in table 'customers' failed: {reason}", failure.Message);
        Assert.IsType<LookupKeyException>(failure.InnerException);
        Assert.Empty(Requests);
    }

    [Theory]
    [InlineData("TINYINT", "STRING", "-128", "-128")]
    [InlineData("SMALLINT", "DOUBLE", 300.0, "300")]
    public async Task Query_WholeNumberKeyInRangeSent(string keyType, string sourceType, object key, string query)
    {
        var source = TypeParser.ParseColumns("level " + sourceType);
        var options = BaseOptions();
        options["columns"] = $"level {keyType}, msg STRING";

        await RunAsync(options, source, [SourceRow(source, key)], new LookupJoinSpec("c", [new("level", "level")]));

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("?level=" + query, request.RawQuery);
    }

    [Fact]
    public async Task Query_AppendedToExistingQuery()
    {
        await LookupAsync(BaseOptions("/customers?tenant=t1"), "1");

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("/customers", request.AbsolutePath);
        Assert.Equal("?tenant=t1&id=1", request.RawQuery);
    }

    [Fact]
    public async Task Query_NestedRowKeyFlattened()
    {
        var options = BaseOptions();
        options["columns"] = "id STRING, addr ROW<city STRING, geo ROW<zip STRING, area STRING>>, msg STRING";
        var source = TypeParser.ParseColumns("id STRING, addr ROW<city STRING, geo ROW<zip STRING, area STRING>>");
        var addressType = source[1].Type.RowType!;
        var geo = new Row(addressType[1].Type.RowType!, ["75001", null]);
        var address = new Row(addressType, ["Paris", geo]);
        var join = new LookupJoinSpec("c", [new("id", "id"), new("addr", "addr")]);

        await RunAsync(options, source, [SourceRow(source, "1", address)], join);

        var request = Assert.Single(Requests).RequestMessage;
        Assert.Equal("?id=1&city=Paris&zip=75001", request.RawQuery);
    }

    [Fact]
    public async Task Headers_OriginSent()
    {
        var options = BaseOptions();
        options["http.source.lookup.header.Origin"] = "http://127.0.0.1";
        options["http.source.lookup.header.X-Tenant"] = "t 1";

        await LookupAsync(options, "1");

        var headers = Assert.Single(Requests).RequestMessage.Headers!;
        Assert.Equal("http://127.0.0.1", Assert.Single(headers["Origin"]));
        Assert.Equal("t 1", Assert.Single(headers["X-Tenant"]));
    }

    [Fact]
    public async Task Get_SendsNoBody()
    {
        await LookupAsync(BaseOptions(), "1");

        var request = Assert.Single(Requests).RequestMessage;
        Assert.True(string.IsNullOrEmpty(request.Body), $"GET sent a body: {request.Body}");
        Assert.False(request.Headers!.ContainsKey("Content-Type"));
    }
}
