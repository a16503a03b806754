using Connector.Actors.Options;

namespace Connector.Actors.Tests.Options;

/// <summary>Tests of the whole-number, byte-size and boolean option parsers.</summary>
public sealed class OptionValueParserTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("42", 42)]
    [InlineData(" 7 ", 7)]
    [InlineData("007", 7)]
    [InlineData("2147483647", int.MaxValue)]
    public void ParsePositiveInt_Valid(string text, int expected)
    {
        Assert.Equal(expected, OptionValueParser.ParsePositiveInt(text));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("000")]
    [InlineData("-1")]
    [InlineData("1.1")]
    [InlineData("2,2")]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("+5")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("1 000")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    [InlineData("٣")]
    public void ParsePositiveInt_Invalid(string text)
    {
        var exception = Assert.Throws<OptionFormatException>(() => OptionValueParser.ParsePositiveInt(text));

        Assert.Contains($"'{text}'", exception.Message);
        Assert.Contains("expected a whole number of at least 1", exception.Message);
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("100b", 100L)]
    [InlineData("7 bytes", 7L)]
    [InlineData("2k", 2048L)]
    [InlineData("512kb", 524_288L)]
    [InlineData(" 64 KB ", 65_536L)]
    [InlineData("1KiB", 1024L)]
    [InlineData("1 kibibytes", 1024L)]
    [InlineData("3m", 3_145_728L)]
    [InlineData("5mb", 5_242_880L)]
    [InlineData("5 MiB", 5_242_880L)]
    [InlineData("1 mebibytes", 1_048_576L)]
    [InlineData("1g", 1_073_741_824L)]
    [InlineData("1gb", 1_073_741_824L)]
    [InlineData("1GiB", 1_073_741_824L)]
    [InlineData("1 gibibytes", 1_073_741_824L)]
    [InlineData("1t", 1_099_511_627_776L)]
    [InlineData("2TB", 2_199_023_255_552L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("8388607tb", 8_388_607L * 1_099_511_627_776L)]
    public void ParseByteSize_Valid(string text, long expected)
    {
        Assert.Equal(expected, OptionValueParser.ParseByteSize(text));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0kb")]
    [InlineData("-1")]
    [InlineData("1.5mb")]
    [InlineData("5 parsecs")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("mb")]
    [InlineData("5 5mb")]
    [InlineData("+5mb")]
    [InlineData("5 m b")]
    [InlineData("9223372036854775807kb")]
    [InlineData("8388608tb")]
    [InlineData("99999999999999999999")]
    public void ParseByteSize_Invalid(string text)
    {
        var exception = Assert.Throws<OptionFormatException>(() => OptionValueParser.ParseByteSize(text));

        Assert.Contains($"'{text}'", exception.Message);
        Assert.Contains("such as 512kb or 5mb", exception.Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("True", true)]
    [InlineData(" true ", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    public void ParseBoolean_Valid(string text, bool expected)
    {
        Assert.Equal(expected, OptionValueParser.ParseBoolean(text));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("t")]
    [InlineData("truee")]
    [InlineData("on")]
    public void ParseBoolean_Invalid(string text)
    {
        var exception = Assert.Throws<OptionFormatException>(() => OptionValueParser.ParseBoolean(text));

        Assert.Contains($"'{text}'", exception.Message);
        Assert.Contains("expected true or false", exception.Message);
    }

    [Fact]
    public void Parsers_RejectNull()
    {
        Assert.Throws<ArgumentNullException>(() => OptionValueParser.ParsePositiveInt(null!));
        Assert.Throws<ArgumentNullException>(() => OptionValueParser.ParseByteSize(null!));
        Assert.Throws<ArgumentNullException>(() => OptionValueParser.ParseBoolean(null!));
    }
}
