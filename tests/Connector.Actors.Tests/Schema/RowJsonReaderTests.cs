using System.Text;
using System.Text.RegularExpressions;
using Connector.Actors.Schema;

namespace Connector.Actors.Tests.Schema;

/// <summary>Tests of decoding JSON bodies into rows by column name.</summary>
public sealed class RowJsonReaderTests
{
    private static readonly RowType Customer = TypeParser.ParseColumns(
        "id STRING, n INT, details ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>");

    [Fact]
    public void ReadRows_ByName()
    {
        var row = ReadOne("{\"extra\":{\"deep\":[1,2]},\"n\":5,\"id\":\"a\",\"more\":[{}]}", Customer);

        Assert.Equal("a", row["id"]);
        Assert.Equal(5, row["n"]);
        Assert.Null(row["details"]);
    }

    [Fact]
    public void ReadRows_MissingFieldIsNull()
    {
        var row = ReadOne("{}", Customer);

        Assert.Null(row["id"]);
        Assert.Null(row["n"]);
        Assert.Null(row["details"]);
    }

    [Fact]
    public void ReadRows_NamesAreCaseSensitive()
    {
        var row = ReadOne("{\"ID\":\"upper\",\"id\":\"lower\"}", Customer);

        Assert.Equal("lower", row["id"]);
    }

    [Fact]
    public void ReadRows_NestedRows()
    {
        var row = ReadOne(
            "{\"id\":\"1\",\"details\":{\"isActive\":true,\"nestedDetails\":{\"balance\":\"$1,000\",\"other\":1}}}",
            Customer);

        var details = Assert.IsType<Row>(row["details"]);
        Assert.Equal(true, details["isActive"]);
        var nested = Assert.IsType<Row>(details["nestedDetails"]);
        Assert.Equal("$1,000", nested["balance"]);
    }

    [Fact]
    public void ReadRows_NullNestedRow()
    {
        var row = ReadOne("{\"details\":null}", Customer);

        Assert.Null(row["details"]);
    }

    [Fact]
    public void ReadRows_Arrays()
    {
        var type = TypeParser.ParseColumns("tags ARRAY<INT>, names ARRAY<STRING>, rows ARRAY<ROW<a INT>>, empty ARRAY<INT>");

        var row = ReadOne("{\"tags\":[1,null,3],\"names\":[\"x\"],\"rows\":[{\"a\":1},{\"a\":2}],\"empty\":[]}", type);

        Assert.Equal(new object?[] { 1, null, 3 }, row["tags"]);
        Assert.Equal(new object?[] { "x" }, row["names"]);
        var rows = Assert.IsType<object?[]>(row["rows"]);
        Assert.Equal(2, rows.Length);
        Assert.Equal(1, ((Row)rows[0]!)["a"]);
        Assert.Equal(2, ((Row)rows[1]!)["a"]);
        Assert.Equal(Array.Empty<object?>(), row["empty"]);
    }

    [Fact]
    public void ReadRows_Maps()
    {
        var type = TypeParser.ParseColumns("headers MAP<STRING, ARRAY<STRING>>, counts MAP<STRING, INT>");

        var row = ReadOne("{\"headers\":{\"Content-Type\":[\"application/json\"],\"X-Empty\":[]},\"counts\":{\"a\":1,\"b\":null}}", type);

        var headers = Assert.IsType<Dictionary<string, object?>>(row["headers"]);
        Assert.Equal(2, headers.Count);
        Assert.Equal(new object?[] { "application/json" }, headers["Content-Type"]);
        Assert.Equal(Array.Empty<object?>(), headers["X-Empty"]);
        var counts = Assert.IsType<Dictionary<string, object?>>(row["counts"]);
        Assert.Equal(1, counts["a"]);
        Assert.Null(counts["b"]);
    }

    [Fact]
    public void ReadRows_Scalars()
    {
        var type = TypeParser.ParseColumns(
            "b BOOLEAN, t TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE, m DECIMAL(10, 2), day DATE, " +
            "tm TIME, raw BYTES");

        var row = ReadOne(
            "{\"b\":false,\"t\":-5,\"s\":300,\"i\":-2147483648,\"l\":9007199254740993,\"f\":1.5,\"d\":0.1," +
            "\"m\":12.345,\"day\":\"2021-08-24\",\"tm\":\"15:22:59\",\"raw\":\"AQID\"}",
            type);

        Assert.Equal(false, row["b"]);
        Assert.Equal(-5, row["t"]);
        Assert.Equal(300, row["s"]);
        Assert.Equal(int.MinValue, row["i"]);
        Assert.Equal(9_007_199_254_740_993L, row["l"]);
        Assert.Equal(1.5f, row["f"]);
        Assert.Equal(0.1, row["d"]);
        Assert.Equal(12.35m, row["m"]);
        Assert.Equal(new DateOnly(2021, 8, 24), row["day"]);
        Assert.Equal(new TimeOnly(15, 22, 59), row["tm"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, row["raw"]);
    }

    [Theory]
    [InlineData("1.50", "1.50")]
    [InlineData("42", "42")]
    [InlineData("-1e3", "-1e3")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("{\"a\":[1,2]}", "{\"a\":[1,2]}")]
    [InlineData("[1,\"x\"]", "[1,\"x\"]")]
    [InlineData("\"plain\"", "plain")]
    public void ReadValue_IntoString(string json, string expected)
    {
        var row = ReadOne("{\"v\":" + json + "}", TypeParser.ParseColumns("v STRING"));

        Assert.Equal(expected, row["v"]);
    }

    [Theory]
    [InlineData("INT", "\"42\"", 42)]
    [InlineData("INT", "\" -7 \"", -7)]
    [InlineData("BIGINT", "\"10000000000\"", 10_000_000_000L)]
    [InlineData("BOOLEAN", "\"true\"", true)]
    [InlineData("BOOLEAN", "\"False\"", false)]
    [InlineData("DOUBLE", "\"2.5\"", 2.5)]
    [InlineData("DOUBLE", "\"NaN\"", double.NaN)]
    [InlineData("FLOAT", "\"0.5\"", 0.5f)]
    public void ReadValue_TextIntoNumber(string type, string json, object expected)
    {
        var row = ReadOne("{\"v\":" + json + "}", TypeParser.ParseColumns("v " + type));

        Assert.Equal(expected, row["v"]);
    }

    [Theory]
    [InlineData("TINYINT", "-128", -128)]
    [InlineData("TINYINT", "127", 127)]
    [InlineData("TINYINT", "\"127\"", 127)]
    [InlineData("TINYINT", "\" -128 \"", -128)]
    [InlineData("SMALLINT", "-32768", -32768)]
    [InlineData("SMALLINT", "32767", 32767)]
    [InlineData("SMALLINT", "\"32767\"", 32767)]
    [InlineData("SMALLINT", "\"-32768\"", -32768)]
    [InlineData("INT", "-2147483648", int.MinValue)]
    [InlineData("INT", "\"2147483647\"", int.MaxValue)]
    public void ReadValue_IntegerRangeEdges(string type, string json, int expected)
    {
        var row = ReadOne("{\"v\":" + json + "}", TypeParser.ParseColumns("v " + type));

        // TINYINT and SMALLINT values are stored as int, like INT, because RowJsonWriter writes a short or sbyte as text.
        var value = Assert.IsType<int>(row["v"]);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("TINYINT", "128", "a number", "value 128 is outside the TINYINT range -128 to 127.")]
    [InlineData("TINYINT", "-129", "a number", "value -129 is outside the TINYINT range -128 to 127.")]
    [InlineData("TINYINT", "\"300\"", "a string", "value 300 is outside the TINYINT range -128 to 127.")]
    [InlineData("TINYINT", "3000000000", "a number", "value 3000000000 is outside the TINYINT range -128 to 127.")]
    [InlineData("SMALLINT", "32768", "a number", "value 32768 is outside the SMALLINT range -32768 to 32767.")]
    [InlineData("SMALLINT", "-32769", "a number", "value -32769 is outside the SMALLINT range -32768 to 32767.")]
    [InlineData("SMALLINT", "\"40000\"", "a string", "value 40000 is outside the SMALLINT range -32768 to 32767.")]
    [InlineData("INT", "2147483648", "a number", "value 2147483648 is outside the INT range -2147483648 to 2147483647.")]
    public void ReadValue_IntegerOutOfRange(string type, string json, string token, string reason)
    {
        var exception = Assert.Throws<RowDecodeException>(() => Read("{\"v\":" + json + "}", TypeParser.ParseColumns("v " + type)));

        Assert.Equal($"Cannot read {token} at $.v as {type}: {reason}", exception.Message);
        Assert.IsType<OverflowException>(exception.InnerException);
    }

    [Theory]
    [InlineData("TINYINT", "1.5")]
    [InlineData("TINYINT", "\"1e2\"")]
    [InlineData("SMALLINT", "\"abc\"")]
    [InlineData("SMALLINT", "true")]
    public void ReadValue_IntegerMalformed(string type, string json)
    {
        var exception = Assert.Throws<RowDecodeException>(() => Read("{\"v\":" + json + "}", TypeParser.ParseColumns("v " + type)));

        Assert.Contains(" at $.v as " + type + ": ", exception.Message);
    }

    [Fact]
    public void ReadRows_NestedOutOfRangePath()
    {
        var type = TypeParser.ParseColumns("r ROW<t TINYINT>, a ARRAY<SMALLINT>");

        var nested = Assert.Throws<RowDecodeException>(() => Read("{\"r\":{\"t\":200}}", type));
        var element = Assert.Throws<RowDecodeException>(() => Read("{\"a\":[1,-40000]}", type));

        Assert.Equal("Cannot read a number at $.r.t as TINYINT: value 200 is outside the TINYINT range -128 to 127.", nested.Message);
        Assert.Equal("Cannot read a number at $.a[] as SMALLINT: value -40000 is outside the SMALLINT range -32768 to 32767.", element.Message);
    }

    [Theory]
    [InlineData("\"12.345\"", "12.35")]
    [InlineData("12.344", "12.34")]
    [InlineData("-12.345", "-12.35")]
    [InlineData("7", "7")]
    public void ReadValue_DecimalRoundsToScale(string json, string expected)
    {
        var row = ReadOne("{\"v\":" + json + "}", TypeParser.ParseColumns("v DECIMAL(10, 2)"));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), row["v"]);
    }

    [Theory]
    [InlineData("2021-08-24 15:22:59", 0)]
    [InlineData("2021-08-24T15:22:59", 0)]
    [InlineData("2021-08-24T15:22:59.5", 500)]
    [InlineData("2021-08-24 15:22:59.123", 123)]
    [InlineData("2021-08-24T15:22:59Z", 0)]
    [InlineData("2021-08-24T15:22:59.5Z", 500)]
    [InlineData("2021-08-24T17:22:59+02:00", 0)]
    [InlineData("2021-08-24 13:22:59-02:00", 0)]
    public void ReadValue_TimestampFormats(string text, int milliseconds)
    {
        var row = ReadOne("{\"ts\":\"" + text + "\"}", TypeParser.ParseColumns("ts TIMESTAMP(3)"));

        var expected = new DateTime(2021, 8, 24, 15, 22, 59, milliseconds);
        var value = Assert.IsType<DateTime>(row["ts"]);
        Assert.Equal(expected, value);
        Assert.Equal(DateTimeKind.Unspecified, value.Kind);
    }

    [Fact]
    public void ReadValue_TimestampDateOnly()
    {
        var row = ReadOne("{\"ts\":\"2021-08-24\"}", TypeParser.ParseColumns("ts TIMESTAMP(3)"));

        Assert.Equal(new DateTime(2021, 8, 24), row["ts"]);
    }

    [Theory]
    [InlineData("2021-08-24 15:22:59")]
    [InlineData("2021-08-24T15:22:59Z")]
    [InlineData("2021-08-24T17:22:59+02:00")]
    public void ReadValue_TimestampLtz(string text)
    {
        var row = ReadOne("{\"ts\":\"" + text + "\"}", TypeParser.ParseColumns("ts TIMESTAMP_LTZ(3)"));

        var value = Assert.IsType<DateTimeOffset>(row["ts"]);
        Assert.Equal(new DateTimeOffset(2021, 8, 24, 15, 22, 59, TimeSpan.Zero), value);
    }

    [Theory]
    [InlineData("{\"details\":{\"isActive\":\"maybe\"}}", "$.details.isActive", "BOOLEAN")]
    [InlineData("{\"details\":{\"isActive\":1}}", "$.details.isActive", "BOOLEAN")]
    [InlineData("{\"n\":\"abc\"}", "$.n", "INT")]
    [InlineData("{\"n\":1.5}", "$.n", "INT")]
    [InlineData("{\"n\":3000000000}", "$.n", "INT")]
    [InlineData("{\"n\":{}}", "$.n", "INT")]
    [InlineData("{\"details\":{\"nestedDetails\":5}}", "$.details.nestedDetails", "a number")]
    [InlineData("{\"details\":[]}", "$.details", "an array")]
    public void ReadRows_FailureNamesPath(string json, string path, string detail)
    {
        var exception = Assert.Throws<RowDecodeException>(() => Read(json, Customer));

        Assert.Matches(" at " + Regex.Escape(path) + "[ ,]", exception.Message);
        Assert.Contains(detail, exception.Message);
    }

    [Fact]
    public void ReadRows_ArrayElementFailurePath()
    {
        var type = TypeParser.ParseColumns("tags ARRAY<INT>");

        var exception = Assert.Throws<RowDecodeException>(() => Read("{\"tags\":[1,\"x\"]}", type));

        Assert.Contains("at $.tags[] as INT", exception.Message);
    }

    [Fact]
    public void ReadRows_MapValueFailurePath()
    {
        var type = TypeParser.ParseColumns("counts MAP<STRING, INT>");

        var exception = Assert.Throws<RowDecodeException>(() => Read("{\"counts\":{\"a\":true}}", type));

        Assert.Contains("at $.counts.a as INT", exception.Message);
    }

    [Theory]
    [InlineData("BYTES", "\"not base64!\"")]
    [InlineData("DATE", "\"24.08.2021\"")]
    [InlineData("DATE", "20210824")]
    [InlineData("TIMESTAMP(3)", "\"yesterday\"")]
    [InlineData("ARRAY<INT>", "{}")]
    [InlineData("MAP<STRING, INT>", "[]")]
    public void ReadValue_InvalidForType(string type, string json)
    {
        var exception = Assert.Throws<RowDecodeException>(() => Read("{\"v\":" + json + "}", TypeParser.ParseColumns("v " + type)));

        Assert.Contains("$.v", exception.Message);
    }

    [Fact]
    public void ReadRows_FailOnMissingField()
    {
        var type = TypeParser.ParseColumns("id STRING, n INT, status INT METADATA FROM 'http-status-code'");

        var exception = Assert.Throws<RowDecodeException>(
            () => RowJsonReader.ReadRows(Encoding.UTF8.GetBytes("{\"id\":\"1\"}"), type, requireArray: false, failOnMissingField: true));

        Assert.Contains("Missing field 'n' at $", exception.Message);
        Assert.Contains("json.fail-on-missing-field = false", exception.Message);
    }

    [Fact]
    public void ReadRows_FailOnMissingFieldSkipsMetadata()
    {
        var type = TypeParser.ParseColumns("id STRING, status INT METADATA FROM 'http-status-code'");

        var rows = RowJsonReader.ReadRows(Encoding.UTF8.GetBytes("{\"id\":\"1\"}"), type, requireArray: false, failOnMissingField: true);

        Assert.Equal("1", Assert.Single(rows)["id"]);
    }

    [Fact]
    public void ReadRows_FailOnMissingFieldAcceptsNull()
    {
        var rows = RowJsonReader.ReadRows(
            Encoding.UTF8.GetBytes("{\"id\":null,\"n\":null,\"details\":null}"), Customer, requireArray: false, failOnMissingField: true);

        Assert.Null(Assert.Single(rows)["id"]);
    }

    [Fact]
    public void ReadRows_MissingFieldInElement()
    {
        var exception = Assert.Throws<RowDecodeException>(() => RowJsonReader.ReadRows(
            Encoding.UTF8.GetBytes("[{\"id\":\"1\",\"n\":1,\"details\":null},{\"id\":\"2\",\"details\":null}]"),
            Customer,
            requireArray: true,
            failOnMissingField: true));

        Assert.Contains("Missing field 'n' at $[]", exception.Message);
    }

    [Fact]
    public void ReadRows_MetadataColumnNotReadFromBody()
    {
        var type = TypeParser.ParseColumns("id STRING, status INT METADATA FROM 'http-status-code'");

        var row = ReadOne("{\"id\":\"1\",\"status\":{\"not\":\"an int\"}}", type);

        Assert.Null(row["status"]);
    }

    [Fact]
    public void ReadRows_RequireArrayRejectsObject()
    {
        var exception = Assert.Throws<RowDecodeException>(() => RowJsonReader.ReadRows(
            Encoding.UTF8.GetBytes("{\"id\":\"1\"}"), Customer, requireArray: true, failOnMissingField: false));

        Assert.Equal("Expected a JSON array for the 'array' result type, found an object.", exception.Message);
    }

    [Fact]
    public void ReadRows_RequireArray()
    {
        var rows = RowJsonReader.ReadRows(
            Encoding.UTF8.GetBytes("[{\"id\":\"1\"},null,{\"id\":\"2\"}]"), Customer, requireArray: true, failOnMissingField: false);

        Assert.Equal(2, rows.Count);
        Assert.Equal("1", rows[0]["id"]);
        Assert.Equal("2", rows[1]["id"]);
    }

    [Fact]
    public void ReadRows_EmptyArray()
    {
        var rows = RowJsonReader.ReadRows("[]"u8, Customer, requireArray: true, failOnMissingField: false);

        Assert.Empty(rows);
    }

    [Fact]
    public void ReadRows_ArrayUnderSingleValue()
    {
        var rows = RowJsonReader.ReadRows(
            Encoding.UTF8.GetBytes("[{\"id\":\"1\"},{\"id\":\"2\"}]"), Customer, requireArray: false, failOnMissingField: false);

        Assert.Equal(2, rows.Count);
        Assert.Equal("1", rows[0]["id"]);
        Assert.Equal("2", rows[1]["id"]);
    }

    [Fact]
    public void ReadRows_ArrayOfScalarsRejected()
    {
        var exception = Assert.Throws<RowDecodeException>(
            () => RowJsonReader.ReadRows("[1]"u8, Customer, requireArray: false, failOnMissingField: false));

        Assert.Equal("Expected a JSON object at $[], found a number.", exception.Message);
    }

    [Theory]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("true", "a boolean")]
    public void ReadRows_ScalarBodyRejected(string json, string found)
    {
        var exception = Assert.Throws<RowDecodeException>(() => Read(json, Customer));

        Assert.Equal($"Expected a JSON object at $, found {found}.", exception.Message);
    }

    [Theory]
    [InlineData("null")]
    [InlineData(" null ")]
    [InlineData("/* comment */ null")]
    public void ReadRows_NullBodyNoRows(string json)
    {
        Assert.Empty(Read(json, Customer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ReadRows_BlankBodyRejected(string json)
    {
        // Callers skip blank bodies and lines before decoding, so a blank input reaching the reader is invalid JSON.
        var exception = Assert.Throws<RowDecodeException>(() => Read(json, Customer));

        Assert.StartsWith("Invalid JSON: ", exception.Message);
    }

    [Theory]
    [InlineData("{\"id\":\"1\"} x")]
    [InlineData("{\"id\":\"1\"}{\"id\":\"2\"}")]
    [InlineData("[{\"id\":\"1\"}],")]
    [InlineData("null null")]
    public void ReadRows_TrailingGarbage(string json)
    {
        var exception = Assert.Throws<RowDecodeException>(() => Read(json, Customer));

        Assert.StartsWith("Invalid JSON: ", exception.Message);
    }

    [Theory]
    [InlineData("{\"id\":")]
    [InlineData("{\"id\":\"1\"")]
    [InlineData("{id:1}")]
    [InlineData("[{\"id\":\"1\"}")]
    public void ReadRows_InvalidJson(string json)
    {
        var exception = Assert.Throws<RowDecodeException>(() => Read(json, Customer));

        Assert.StartsWith("Invalid JSON: ", exception.Message);
    }

    [Fact]
    public void ReadRows_CommentsSkipped()
    {
        var row = ReadOne("{ /* a */ \"id\": \"1\" // b\n }", Customer);

        Assert.Equal("1", row["id"]);
    }

    [Fact]
    public void ReadRows_EscapedPropertyNames()
    {
        var type = TypeParser.ParseColumns("id STRING, `é` INT, `a\"b` INT");

        var row = ReadOne("{\"\\u0069d\":\"1\",\"\\u00e9\":2,\"a\\\"b\":3}", type);

        Assert.Equal("1", row["id"]);
        Assert.Equal(2, row["é"]);
        Assert.Equal(3, row["a\"b"]);
    }

    [Fact]
    public void ReadRows_NonAsciiPropertyName()
    {
        var type = TypeParser.ParseColumns("`prénom` STRING");

        var row = ReadOne("{\"prénom\":\"Zoé\"}", type);

        Assert.Equal("Zoé", row["prénom"]);
    }

    [Fact]
    public void ReadRows_LongPropertyName()
    {
        var name = new string('n', 200);
        var type = TypeParser.ParseColumns(name + " INT");

        var row = ReadOne("{\"" + new string('n', 199) + "\":1,\"" + name + "\":2}", type);

        Assert.Equal(2, row[name]);
    }

    [Fact]
    public void ReadRows_EscapedStringValue()
    {
        var row = ReadOne("{\"id\":\"caf\\u00e9 \\\"q\\\"\\n\"}", Customer);

        Assert.Equal("café \"q\"\n", row["id"]);
    }

    private static List<Row> Read(string json, RowType type) =>
        RowJsonReader.ReadRows(Encoding.UTF8.GetBytes(json), type, requireArray: false, failOnMissingField: false);

    private static Row ReadOne(string json, RowType type) => Assert.Single(Read(json, type));
}
