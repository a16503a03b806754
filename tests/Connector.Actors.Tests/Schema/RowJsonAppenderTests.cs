using System.Buffers;
using System.Globalization;
using System.Text;
using Connector.Actors.Schema;

namespace Connector.Actors.Tests.Schema;

/// <summary>
/// Checks that the sink's row appender writes the same bytes as <see cref="RowJsonWriter"/>, for the values it formats
/// itself and for those it hands to the general writer.
/// </summary>
public sealed class RowJsonAppenderTests
{
    private static readonly RowType OneColumn = TypeParser.ParseColumns("v STRING");

    public static TheoryData<object?> Values => new()
    {
        null,
        true,
        false,
        0,
        -1,
        int.MinValue,
        int.MaxValue,
        0L,
        long.MinValue,
        long.MaxValue,
        string.Empty,
        "plain text",
        "quote \" inside",
        "back\\slash",
        "tab\tnew line\nreturn\r",
        "\u0000\u001f\u007f",
        "<script>&'+`",
        "caf\u00e9 \u4e2d\u6587",
        "emoji \ud83d\ude00",
        "line separator \u2028 and soft hyphen \u00ad",
        "lone surrogate \ud800 end",
        0.0,
        -0.0,
        12.5,
        -12.5,
        0.1,
        0.0001,
        -0.0001,
        0.00001,
        0.00015,
        123.4567,
        123.45678,
        1e14,
        1e15,
        1e16,
        1e17,
        56_294_995_342.1312,
        56_294_995_342.1313,
        -56_294_995_342.0,
        9_007_199_254_740_993.0,
        0.1 + 0.2,
        1.0 / 3,
        double.Epsilon,
        double.MaxValue,
        double.MinValue,
        double.NaN,
        double.PositiveInfinity,
        double.NegativeInfinity,
        1.5f,
        0.1f,
        12.50m,
        new DateTime(2021, 8, 24, 15, 22, 59, 123),
        new DateTimeOffset(2021, 8, 24, 17, 22, 59, TimeSpan.FromHours(2)),
        new DateOnly(2021, 8, 24),
        new TimeOnly(15, 22, 59),
        new byte[] { 1, 2, 3 },
        new object?[] { 1, "two", 3.5, null },
        new Dictionary<string, object?> { ["a"] = 1, ["b\""] = "x" },
        Guid.Parse("2f1c6a9e-7d1b-4c55-9e39-3f2f8c1d0a11"),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_MatchesWriter(object? value)
    {
        var row = new Row(OneColumn, [value]);

        Assert.Equal(WriterText(row), AppenderText(row));
    }

    [Fact]
    public void AsciiCharacters_MatchWriter()
    {
        for (var c = 0; c < 128; c++)
        {
            var row = new Row(OneColumn, [$"a{(char)c}b"]);

            Assert.Equal(WriterText(row), AppenderText(row));
        }
    }

    [Fact]
    public void RandomDoubles_MatchWriter()
    {
        var random = new Random(20261205);
        var type = TypeParser.ParseColumns("v DOUBLE");
        for (var i = 0; i < 200_000; i++)
        {
            var value = (i % 4) switch
            {
                // Decimals of up to six places, so both the short form and the general writer are exercised.
                0 => Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(0, 12)), random.Next(0, 7)),
                1 => random.Next(-1_000_000, 1_000_000) / Math.Pow(10, random.Next(0, 6)),
                2 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 20)),
                _ => BitConverter.Int64BitsToDouble(random.NextInt64()),
            };
            var row = new Row(type, [value]);

            Assert.True(
                WriterText(row) == AppenderText(row),
                $"{value.ToString("R", CultureInfo.InvariantCulture)}: writer {WriterText(row)}, appender {AppenderText(row)}");
        }
    }

    [Fact]
    public void Doubles_NearShortDecimalLimit_MatchWriter()
    {
        var type = TypeParser.ParseColumns("v DOUBLE");
        foreach (var center in new[] { 56_294_995_342.1312, 0.0001, 1.0, 1e10 })
        {
            var value = center;
            for (var step = 0; step < 2_000; step++)
            {
                value = Math.BitIncrement(value);
                var row = new Row(type, [value]);

                Assert.Equal(WriterText(row), AppenderText(row));
            }
        }
    }

    [Fact]
    public void SeveralColumns_MatchWriter()
    {
        var type = TypeParser.ParseColumns("seq INT, id STRING, name STRING, amount DOUBLE, tags ARRAY<STRING>, at TIMESTAMP(3)");
        var row = new Row(type, [7, "c000007", "caf\u00e9", 12.5, new object?[] { "a", "b" }, new DateTime(2021, 8, 24, 15, 22, 59)]);

        Assert.Equal(
            "{\"seq\":7,\"id\":\"c000007\",\"name\":\"caf\u00e9\",\"amount\":12.5,\"tags\":[\"a\",\"b\"],\"at\":\"2021-08-24 15:22:59\"}",
            AppenderText(row));
        Assert.Equal(WriterText(row), AppenderText(row));
    }

    [Fact]
    public void EscapedFieldNames_MatchWriter()
    {
        var type = RowType.Of(("quote\"name", DataType.Scalar(TypeKind.Int)), ("caf\u00e9", DataType.Scalar(TypeKind.String)));
        var row = new Row(type, [1, "x"]);

        Assert.Equal(WriterText(row), AppenderText(row));
    }

    [Fact]
    public void EmptyRow_IsEmptyObject()
    {
        var row = new Row(RowType.Of(), []);

        Assert.Equal("{}", AppenderText(row));
    }

    [Fact]
    public void Rows_AppendAfterEachOther()
    {
        var type = TypeParser.ParseColumns("a DOUBLE, b STRING");
        var buffer = new ArrayBufferWriter<byte>(8);

        RowJsonAppender.AppendRow(buffer, new Row(type, [double.NaN, "x"]));
        RowJsonAppender.AppendRow(buffer, new Row(type, [0.1 + 0.2, "caf\u00e9"]));

        Assert.Equal(
            "{\"a\":\"NaN\",\"b\":\"x\"}{\"a\":0.30000000000000004,\"b\":\"caf\u00e9\"}",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    public void DeepNesting_SameLimitAsWriter(int depth)
    {
        var type = RowType.Of(("v", DataType.Array(DataType.Scalar(TypeKind.Int))));
        object? value = 1;
        for (var i = 0; i < depth - 1; i++)
        {
            value = new object?[] { value };
        }

        var row = new Row(type, [value]);
        var writerError = Record.Exception(() => WriterText(row));
        var appenderError = Record.Exception(() => AppenderText(row));

        Assert.Equal(writerError is null, appenderError is null);
        if (writerError is null)
        {
            Assert.Equal(WriterText(row), AppenderText(row));
        }
        else
        {
            Assert.IsType<InvalidOperationException>(appenderError);
        }
    }

    private static string WriterText(Row row) => RowJsonWriter.ToJsonString(row);

    private static string AppenderText(Row row)
    {
        // A small initial buffer makes every append grow it at least once.
        var buffer = new ArrayBufferWriter<byte>(1);
        RowJsonAppender.AppendRow(buffer, row);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
