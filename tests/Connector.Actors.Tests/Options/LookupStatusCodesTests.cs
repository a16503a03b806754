using Connector.Actors.Options;

namespace Connector.Actors.Tests.Options;

/// <summary>Tests of the lookup status code options, their rules and response classification.</summary>
public sealed class LookupStatusCodesTests
{
    [Fact]
    public void Create_Defaults()
    {
        var codes = LookupStatusCodes.Create(null, null, null, null, null);

        Assert.Equal(Enumerable.Range(200, 100), codes.Success.Codes);
        Assert.Equal([500, 503, 504], codes.Retry.Codes);
        Assert.True(codes.Ignored.IsEmpty);
    }

    [Theory]
    [InlineData(200, nameof(StatusClass.Success))]
    [InlineData(204, nameof(StatusClass.Success))]
    [InlineData(299, nameof(StatusClass.Success))]
    [InlineData(100, nameof(StatusClass.Error))]
    [InlineData(302, nameof(StatusClass.Error))]
    [InlineData(404, nameof(StatusClass.Error))]
    [InlineData(500, nameof(StatusClass.Retry))]
    [InlineData(502, nameof(StatusClass.Error))]
    [InlineData(503, nameof(StatusClass.Retry))]
    [InlineData(504, nameof(StatusClass.Retry))]
    [InlineData(0, nameof(StatusClass.Error))]
    [InlineData(99, nameof(StatusClass.Error))]
    [InlineData(600, nameof(StatusClass.Error))]
    [InlineData(999, nameof(StatusClass.Error))]
    public void Classify_Defaults(int code, string expected)
    {
        var codes = LookupStatusCodes.Create(null, null, null, null, null);

        Assert.Equal(Enum.Parse<StatusClass>(expected), codes.Classify(code));
    }

    [Fact]
    public void Classify_IgnoredCode()
    {
        var codes = LookupStatusCodes.Create(null, null, "404", null, null);

        Assert.Equal(StatusClass.Ignored, codes.Classify(404));
        Assert.Equal(StatusClass.Success, codes.Classify(200));
        Assert.Equal(StatusClass.Error, codes.Classify(403));
    }

    [Fact]
    public void Classify_IgnoredBeforeSuccess()
    {
        var codes = LookupStatusCodes.Create("2XX", null, "204", null, null);

        Assert.Equal(StatusClass.Ignored, codes.Classify(204));
        Assert.Equal(StatusClass.Success, codes.Classify(200));
    }

    [Fact]
    public void Create_IgnoredOnly()
    {
        var codes = LookupStatusCodes.Create("", null, "404", null, null);

        Assert.True(codes.Success.IsEmpty);
        Assert.Equal(StatusClass.Ignored, codes.Classify(404));
        Assert.Equal(StatusClass.Error, codes.Classify(200));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("  ", "")]
    [InlineData(",,", " , ")]
    [InlineData("404,!404", null)]
    public void Create_EmptySuccess(string success, string? ignored)
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create(success, null, ignored, null, null));

        Assert.Contains("success code set is empty", exception.Message);
    }

    [Fact]
    public void Create_CustomRetry()
    {
        var codes = LookupStatusCodes.Create(null, "429,5XX", null, null, null);

        Assert.Equal(StatusClass.Retry, codes.Classify(429));
        Assert.Equal(StatusClass.Retry, codes.Classify(502));
        Assert.Equal(StatusClass.Retry, codes.Classify(599));
        Assert.Equal(StatusClass.Error, codes.Classify(428));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_BlankRetry(string retry)
    {
        var codes = LookupStatusCodes.Create(null, retry, null, null, null);

        Assert.True(codes.Retry.IsEmpty);
        Assert.Equal(StatusClass.Error, codes.Classify(500));
        Assert.Equal(StatusClass.Error, codes.Classify(503));
    }

    [Fact]
    public void Create_SuccessRetryOverlap()
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create("2XX,500", null, null, null, null));

        Assert.Contains("Code 500 is both a retry code", exception.Message);
    }

    [Fact]
    public void Create_IgnoredRetryOverlap()
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create(null, null, "404,503", null, null));

        Assert.Contains("503", exception.Message);
        Assert.DoesNotContain("404", exception.Message);
    }

    [Fact]
    public void Create_ClassRetryOverlap()
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create("2XX,5XX", null, null, null, null));

        Assert.Contains("Codes 500, 503, 504 are both retry codes", exception.Message);
        Assert.DoesNotContain("501", exception.Message);
    }

    [Fact]
    public void Create_EmptySuccessAndRetry()
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create("", "", null, null, null));

        Assert.Contains("success code set is empty", exception.Message);
        Assert.DoesNotContain("retry code", exception.Message);
    }

    [Theory]
    [InlineData("6XX", null, null, "success codes", "6XX")]
    [InlineData(null, "abc", null, "retry codes", "abc")]
    [InlineData(null, null, "!4XX", "ignored response codes", "!4XX")]
    [InlineData(null, "500,0200", null, "retry codes", "0200")]
    public void Create_InvalidList(string? success, string? retry, string? ignored, string listName, string entry)
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create(success, retry, ignored, null, null));

        Assert.Contains($"The {listName} could not be parsed.", exception.Message);
        Assert.Contains($"'{entry}'", exception.Message);
    }

    [Fact]
    public void Create_ListsEveryProblem()
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create("6XX", "abc", "700", "XX1", "4XX"));

        Assert.Contains("'6XX'", exception.Message);
        Assert.Contains("'abc'", exception.Message);
        Assert.Contains("'700'", exception.Message);
        Assert.Contains("'XX1'", exception.Message);
    }

    [Fact]
    public void Create_LegacyErrorCodeRemovesSuccess()
    {
        var codes = LookupStatusCodes.Create("2XX,404", null, null, "404", null);

        Assert.False(codes.Success.Contains(404));
        Assert.Equal(StatusClass.Error, codes.Classify(404));
        Assert.Equal(StatusClass.Success, codes.Classify(200));
    }

    [Fact]
    public void Create_LegacyErrorCodeRemovesIgnored()
    {
        var codes = LookupStatusCodes.Create(null, null, "404,410", "404", null);

        Assert.Equal([410], codes.Ignored.Codes);
        Assert.Equal(StatusClass.Error, codes.Classify(404));
        Assert.Equal(StatusClass.Ignored, codes.Classify(410));
    }

    [Fact]
    public void Create_LegacyClassWithExclusion()
    {
        var codes = LookupStatusCodes.Create(null, null, null, "2xx", "200, 204");

        Assert.Equal([200, 204], codes.Success.Codes);
        Assert.Equal(StatusClass.Success, codes.Classify(200));
        Assert.Equal(StatusClass.Success, codes.Classify(204));
        Assert.Equal(StatusClass.Error, codes.Classify(201));
    }

    [Fact]
    public void Create_LegacyKeepsRetry()
    {
        var codes = LookupStatusCodes.Create(null, null, null, "5XX", null);

        Assert.Equal([500, 503, 504], codes.Retry.Codes);
        Assert.Equal(StatusClass.Retry, codes.Classify(500));
        Assert.Equal(StatusClass.Error, codes.Classify(501));
    }

    [Fact]
    public void Create_LegacyResolvesOverlap()
    {
        var codes = LookupStatusCodes.Create("2XX,500", null, null, "500", null);

        Assert.False(codes.Success.Contains(500));
        Assert.Equal(StatusClass.Retry, codes.Classify(500));
    }

    [Fact]
    public void Create_LegacyEmptiesSuccess()
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create(null, null, null, "2XX", null));

        Assert.Contains("success code set is empty", exception.Message);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(" ", "404")]
    [InlineData(",,,", null)]
    [InlineData(null, "200")]
    public void Create_LegacyUnsetHasNoEffect(string? legacyErrorCodes, string? legacyExclude)
    {
        var codes = LookupStatusCodes.Create(null, null, null, legacyErrorCodes, legacyExclude);

        Assert.Equal(Enumerable.Range(200, 100), codes.Success.Codes);
        Assert.Equal(StatusClass.Error, codes.Classify(404));
        Assert.Equal(StatusClass.Success, codes.Classify(200));
    }

    [Theory]
    [InlineData("6XX", null, "6XX")]
    [InlineData("404", "4XX", "4XX")]
    [InlineData(null, "abc", "abc")]
    public void Create_InvalidLegacy(string? legacyErrorCodes, string? legacyExclude, string entry)
    {
        var exception = Assert.Throws<OptionFormatException>(
            () => LookupStatusCodes.Create(null, null, null, legacyErrorCodes, legacyExclude));

        Assert.Contains("legacy error code options could not be parsed", exception.Message);
        Assert.Contains($"'{entry}'", exception.Message);
    }
}
