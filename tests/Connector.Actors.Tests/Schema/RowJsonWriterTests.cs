using System.Buffers;
using System.Text;
using Connector.Actors.Schema;

namespace Connector.Actors.Tests.Schema;

/// <summary>Tests of the JSON encoding of rows and of each CLR value type a column may hold.</summary>
public sealed class RowJsonWriterTests
{
    public static TheoryData<object?, string> Values => new()
    {
        { null, "null" },
        { "text", "\"text\"" },
        { true, "true" },
        { false, "false" },
        { 42, "42" },
        { -7, "-7" },
        { 9_007_199_254_740_993L, "9007199254740993" },
        { 1.5, "1.5" },
        { 0.1, "0.1" },
        { 1.5f, "1.5" },
        { 0.1f, "0.1" },
        { double.NaN, "\"NaN\"" },
        { double.PositiveInfinity, "\"Infinity\"" },
        { double.NegativeInfinity, "\"-Infinity\"" },
        { float.NaN, "\"NaN\"" },
        { 12.50m, "12.50" },
        { -0.001m, "-0.001" },
        { new DateTime(2021, 8, 24, 15, 22, 59), "\"2021-08-24 15:22:59\"" },
        { new DateTime(2021, 8, 24, 15, 22, 59, 123), "\"2021-08-24 15:22:59.123\"" },
        { new DateTime(2021, 8, 24, 15, 22, 59, 100), "\"2021-08-24 15:22:59.100\"" },
        { new DateTime(2021, 8, 24, 15, 22, 59).AddTicks(1_234_000), "\"2021-08-24 15:22:59.1234\"" },
        { new DateTimeOffset(2021, 8, 24, 17, 22, 59, TimeSpan.FromHours(2)), "\"2021-08-24 15:22:59Z\"" },
        { new DateOnly(2021, 8, 24), "\"2021-08-24\"" },
        { new TimeOnly(15, 22, 59), "\"15:22:59\"" },
        { new TimeOnly(15, 22, 59, 5), "\"15:22:59.005\"" },
        { new byte[] { 1, 2, 3 }, "\"AQID\"" },
        { Array.Empty<byte>(), "\"\"" },
        { new object?[] { 1, null, 3 }, "[1,null,3]" },
        { Array.Empty<object?>(), "[]" },
        { new object?[] { new object?[] { "a" }, new object?[0] }, "[[\"a\"],[]]" },
        { new Dictionary<string, object?> { ["a"] = new object?[] { "x", "y" }, ["b"] = null }, "{\"a\":[\"x\",\"y\"],\"b\":null}" },
        { new Dictionary<string, object?>(), "{}" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void WriteValue_Encoding(object? value, string expected)
    {
        Assert.Equal(expected, WriteValue(value));
    }

    [Theory]
    [InlineData("café é", "\"café é\"")]
    [InlineData("日本", "\"日本\"")]
    [InlineData("<a href='x'>&</a>", "\"<a href='x'>&</a>\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("line\nbreak\ttab\rreturn", "\"line\\nbreak\\ttab\\rreturn\"")]
    [InlineData("bell\u0001nul\u0000", "\"bell\\u0001nul\\u0000\"")]
    public void WriteValue_TextEscaping(string text, string expected)
    {
        Assert.Equal(expected, WriteValue(text));
    }

    [Fact]
    public void ToJsonString_EveryColumnType()
    {
        var nestedType = TypeParser.ParseColumns("isActive BOOLEAN, nestedDetails ROW<balance STRING>");
        var balanceType = nestedType[1].Type.RowType!;
        var type = TypeParser.ParseColumns(
            "id STRING, n INT, big BIGINT, ok BOOLEAN, ratio DOUBLE, amount DECIMAL(10, 2), day DATE, " +
            "ts TIMESTAMP(3), raw BYTES, tags ARRAY<INT>, headers MAP<STRING, ARRAY<STRING>>, " +
            "details ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>, missing STRING");
        var details = new Row(nestedType, [true, new Row(balanceType, ["100.00"])]);
        var row = new Row(type,
        [
            "é1",
            7,
            10_000_000_000L,
            false,
            0.25,
            3.10m,
            new DateOnly(2021, 8, 24),
            new DateTime(2021, 8, 24, 15, 22, 59, 123),
            new byte[] { 255, 0 },
            new object?[] { 1, 2 },
            new Dictionary<string, object?> { ["Content-Type"] = new object?[] { "application/json" } },
            details,
            null,
        ]);

        var json = RowJsonWriter.ToJsonString(row);

        Assert.Equal(
            "{\"id\":\"é1\",\"n\":7,\"big\":10000000000,\"ok\":false,\"ratio\":0.25,\"amount\":3.10,\"day\":\"2021-08-24\"," +
            "\"ts\":\"2021-08-24 15:22:59.123\",\"raw\":\"/wA=\",\"tags\":[1,2]," +
            "\"headers\":{\"Content-Type\":[\"application/json\"]}," +
            "\"details\":{\"isActive\":true,\"nestedDetails\":{\"balance\":\"100.00\"}},\"missing\":null}",
            json);
    }

    [Fact]
    public void ToJsonString_EscapedPropertyName()
    {
        var type = TypeParser.ParseColumns("`say \"x\"` INT, `é` INT");
        var row = new Row(type, [1, 2]);

        Assert.Equal("{\"say \\\"x\\\"\":1,\"é\":2}", RowJsonWriter.ToJsonString(row));
    }

    [Fact]
    public void ToString_IsJson()
    {
        var row = new Row(TypeParser.ParseColumns("id STRING"), ["1"]);

        Assert.Equal("{\"id\":\"1\"}", row.ToString());
    }

    [Fact]
    public void WriteRow_BufferIsUtf8()
    {
        var row = new Row(TypeParser.ParseColumns("name STRING"), ["é"]);
        var buffer = new ArrayBufferWriter<byte>();

        RowJsonWriter.WriteRow(buffer, row);

        Assert.Equal("{\"name\":\"é\"}"u8.ToArray(), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteThenRead_RoundTrip()
    {
        var type = TypeParser.ParseColumns(
            "id STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3), day DATE, raw BYTES, ratio FLOAT, " +
            "tags ARRAY<STRING>, details ROW<isActive BOOLEAN>");
        var detailsType = type[7].Type.RowType!;
        var row = new Row(type,
        [
            "a\"b\n",
            12.34m,
            new DateTime(2021, 8, 24, 15, 22, 59, 5),
            new DateOnly(2000, 1, 1),
            new byte[] { 9, 8, 7 },
            0.1f,
            new object?[] { "x", null },
            new Row(detailsType, [false]),
        ]);

        var rows = RowJsonReader.ReadRows(Encoding.UTF8.GetBytes(RowJsonWriter.ToJsonString(row)), type, requireArray: false, failOnMissingField: true);

        var decoded = Assert.Single(rows);
        Assert.Equal("a\"b\n", decoded["id"]);
        Assert.Equal(12.34m, decoded["amount"]);
        Assert.Equal(new DateTime(2021, 8, 24, 15, 22, 59, 5), decoded["ts"]);
        Assert.Equal(new DateOnly(2000, 1, 1), decoded["day"]);
        Assert.Equal(new byte[] { 9, 8, 7 }, decoded["raw"]);
        Assert.Equal(0.1f, decoded["ratio"]);
        Assert.Equal(new object?[] { "x", null }, decoded["tags"]);
        Assert.Equal(false, ((Row)decoded["details"]!)["isActive"]);
    }

    private static string WriteValue(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = RowJsonWriter.CreateWriter(buffer))
        {
            RowJsonWriter.WriteValue(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
