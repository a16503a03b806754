using Connector.Actors.Options;

namespace Connector.Actors.Tests.Options;

/// <summary>Tests of the sink's error code list and exclusion list.</summary>
public sealed class SinkErrorCodesTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData(" ", " ")]
    [InlineData(",,,", ",,,,")]
    [InlineData(" , ,", null)]
    public void Parse_DefaultWhenUnset(string? errorCodes, string? exclude)
    {
        var codes = SinkErrorCodes.Parse(errorCodes, exclude);

        Assert.True(codes.IsDefault);
        Assert.Equal(Enumerable.Range(400, 200), codes.ErrorCodes.Codes);
        Assert.True(codes.ExcludedCodes.IsEmpty);
        Assert.False(codes.IsError(100));
        Assert.False(codes.IsError(200));
        Assert.True(codes.IsError(400));
        Assert.True(codes.IsError(404));
        Assert.True(codes.IsError(500));
        Assert.True(codes.IsError(501));
    }

    [Theory]
    [InlineData(403, false)]
    [InlineData(100, false)]
    [InlineData(200, false)]
    [InlineData(300, false)]
    [InlineData(303, false)]
    [InlineData(301, true)]
    [InlineData(101, true)]
    [InlineData(404, true)]
    [InlineData(599, true)]
    public void Parse_ExcludeOverridesClasses(int code, bool expected)
    {
        var codes = SinkErrorCodes.Parse("1XX, 2XX, 3XX, 4XX, 5XX", "403, 100,200, 300, , 303 ,200");

        Assert.False(codes.IsDefault);
        Assert.Equal([100, 200, 300, 303, 403], codes.ExcludedCodes.Codes);
        Assert.Equal(expected, codes.IsError(code));
    }

    [Fact]
    public void Parse_ExplicitCodeList()
    {
        var codes = SinkErrorCodes.Parse("403, 100,200, 300, , 303 ,200", null);

        Assert.False(codes.IsDefault);
        Assert.Equal([100, 200, 300, 303, 403], codes.ErrorCodes.Codes);
        Assert.True(codes.IsError(403));
        Assert.True(codes.IsError(100));
        Assert.True(codes.IsError(200));
        Assert.True(codes.IsError(300));
        Assert.True(codes.IsError(303));
        Assert.False(codes.IsError(404));
        Assert.False(codes.IsError(500));
    }

    [Fact]
    public void Parse_LowerCaseClass()
    {
        var codes = SinkErrorCodes.Parse("1xx, 2XX ", null);

        Assert.True(codes.IsError(100));
        Assert.True(codes.IsError(110));
        Assert.True(codes.IsError(200));
        Assert.True(codes.IsError(220));
        Assert.False(codes.IsError(303));
        Assert.False(codes.IsError(404));
    }

    [Fact]
    public void Parse_ClassWithExclusions()
    {
        var codes = SinkErrorCodes.Parse("4XX", "404, 405");

        Assert.False(codes.IsError(404));
        Assert.False(codes.IsError(405));
        Assert.True(codes.IsError(400));
        Assert.True(codes.IsError(499));
        Assert.False(codes.IsError(500));
    }

    [Fact]
    public void Parse_ExcludeWithDefault()
    {
        var codes = SinkErrorCodes.Parse(null, "404");

        Assert.True(codes.IsDefault);
        Assert.False(codes.IsError(404));
        Assert.True(codes.IsError(400));
        Assert.True(codes.IsError(500));
    }

    [Theory]
    [InlineData("X", "X")]
    [InlineData("XXX", "XXX")]
    [InlineData(" X X", "X X")]
    [InlineData("1X1", "1X1")]
    [InlineData("XX1", "XX1")]
    [InlineData("XX1XX", "XX1XX")]
    [InlineData("XX1 XX", "XX1 XX")]
    [InlineData("6XX", "6XX")]
    [InlineData("600", "600")]
    [InlineData("0XX", "0XX")]
    [InlineData("099", "099")]
    [InlineData("4XX,abc", "abc")]
    [InlineData("!404", "!404")]
    [InlineData("+20", "+20")]
    public void Parse_InvalidErrorCode(string errorCodes, string entry)
    {
        var exception = Assert.Throws<OptionFormatException>(() => SinkErrorCodes.Parse(errorCodes, null));

        Assert.Contains($"'{entry}'", exception.Message);
        Assert.Contains("Invalid error code entry", exception.Message);
    }

    [Theory]
    [InlineData("4XX", "4XX")]
    [InlineData("4xx", "4xx")]
    [InlineData("404, 5XX", "5XX")]
    [InlineData("abc", "abc")]
    [InlineData("600", "600")]
    [InlineData("99", "99")]
    [InlineData("1X1", "1X1")]
    [InlineData("!404", "!404")]
    public void Parse_InvalidExclude(string exclude, string entry)
    {
        var exception = Assert.Throws<OptionFormatException>(() => SinkErrorCodes.Parse("4XX", exclude));

        Assert.Contains($"'{entry}'", exception.Message);
        Assert.Contains("Invalid excluded code entry", exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(999)]
    public void IsError_OutsideRange(int code)
    {
        var codes = SinkErrorCodes.Parse("1XX, 2XX, 3XX, 4XX, 5XX", null);

        Assert.False(codes.IsError(code));
    }
}
