using Connector.Actors.Options;

namespace Connector.Actors.Tests.Options;

/// <summary>Tests of the Flink duration parser and formatter.</summary>
public sealed class FlinkDurationTests
{
    public static TheoryData<string, TimeSpan> DurationsWithUnit => new()
    {
        { "1d", TimeSpan.FromDays(1) },
        { "2day", TimeSpan.FromDays(2) },
        { "3days", TimeSpan.FromDays(3) },
        { "1h", TimeSpan.FromHours(1) },
        { "1hour", TimeSpan.FromHours(1) },
        { "2hours", TimeSpan.FromHours(2) },
        { "1min", TimeSpan.FromMinutes(1) },
        { "2m", TimeSpan.FromMinutes(2) },
        { "1minute", TimeSpan.FromMinutes(1) },
        { "3minutes", TimeSpan.FromMinutes(3) },
        { "30s", TimeSpan.FromSeconds(30) },
        { "1sec", TimeSpan.FromSeconds(1) },
        { "2secs", TimeSpan.FromSeconds(2) },
        { "1second", TimeSpan.FromSeconds(1) },
        { "5seconds", TimeSpan.FromSeconds(5) },
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "1milli", TimeSpan.FromMilliseconds(1) },
        { "2millis", TimeSpan.FromMilliseconds(2) },
        { "3millisecond", TimeSpan.FromMilliseconds(3) },
        { "4milliseconds", TimeSpan.FromMilliseconds(4) },
        { "1µs", TimeSpan.FromTicks(10) },
        { "2us", TimeSpan.FromTicks(20) },
        { "3micro", TimeSpan.FromTicks(30) },
        { "4micros", TimeSpan.FromTicks(40) },
        { "5microsecond", TimeSpan.FromTicks(50) },
        { "6microseconds", TimeSpan.FromTicks(60) },
        { "100ns", TimeSpan.FromTicks(1) },
        { "200nano", TimeSpan.FromTicks(2) },
        { "300nanos", TimeSpan.FromTicks(3) },
        { "400nanosecond", TimeSpan.FromTicks(4) },
        { "500nanoseconds", TimeSpan.FromTicks(5) },
        { "  30 s  ", TimeSpan.FromSeconds(30) },
        { "30   S", TimeSpan.FromSeconds(30) },
        { "1MIN", TimeSpan.FromMinutes(1) },
        { "5 Days", TimeSpan.FromDays(5) },
        { "10 Ms", TimeSpan.FromMilliseconds(10) },
        { "0s", TimeSpan.Zero },
        { "007s", TimeSpan.FromSeconds(7) },
        { "10675199d", TimeSpan.FromDays(10675199) },
    };

    public static TheoryData<TimeSpan, string> FormattedDurations => new()
    {
        { TimeSpan.FromSeconds(30), "30s" },
        { TimeSpan.FromMilliseconds(500), "500ms" },
        { TimeSpan.FromMinutes(1), "1min" },
        { TimeSpan.FromHours(1), "1h" },
        { TimeSpan.FromDays(2), "2d" },
        { TimeSpan.FromHours(25), "25h" },
        { TimeSpan.FromSeconds(90), "90s" },
        { TimeSpan.FromMilliseconds(1500), "1500ms" },
        { TimeSpan.Zero, "0ms" },
        { TimeSpan.FromTicks(10), "1us" },
        { TimeSpan.FromTicks(15), "1500ns" },
        { TimeSpan.FromTicks(1), "100ns" },
    };

    [Theory]
    [MemberData(nameof(DurationsWithUnit))]
    public void Parse_WithUnit(string text, TimeSpan expected)
    {
        Assert.Equal(expected, FlinkDuration.Parse(text, DurationUnit.Milliseconds));
        Assert.Equal(expected, FlinkDuration.Parse(text, DurationUnit.Seconds));
    }

    [Theory]
    [InlineData("500", nameof(DurationUnit.Milliseconds), 500)]
    [InlineData("30", nameof(DurationUnit.Seconds), 30_000)]
    [InlineData(" 0 ", nameof(DurationUnit.Seconds), 0)]
    public void Parse_BareNumber(string text, string bareNumberUnit, long expectedMilliseconds)
    {
        var duration = FlinkDuration.Parse(text, Enum.Parse<DurationUnit>(bareNumberUnit));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), duration);
    }

    [Fact]
    public void Parse_NanosecondsRoundDown()
    {
        Assert.Equal(TimeSpan.FromTicks(1), FlinkDuration.Parse("199ns", DurationUnit.Milliseconds));
        Assert.Equal(TimeSpan.Zero, FlinkDuration.Parse("1ns", DurationUnit.Milliseconds));
    }

    [Theory]
    [InlineData("-1s")]
    [InlineData("-5")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5 parsecs")]
    [InlineData("1.5s")]
    [InlineData("1,5s")]
    [InlineData("s")]
    [InlineData("1 0s")]
    [InlineData("1s2")]
    [InlineData("1s 2ms")]
    [InlineData("+5s")]
    [InlineData("5 mins")]
    [InlineData("5 hrs")]
    [InlineData("1e3ms")]
    [InlineData("٥s")]
    public void Parse_Invalid(string text)
    {
        var exception = Assert.Throws<OptionFormatException>(() => FlinkDuration.Parse(text, DurationUnit.Milliseconds));

        Assert.Contains($"'{text}'", exception.Message);
        Assert.Contains("expected a whole number with an optional unit (ms, s, min, h, d)", exception.Message);
    }

    [Theory]
    [InlineData("99999999999999999999s")]
    [InlineData("9223372036854775808")]
    [InlineData("10675200d")]
    [InlineData("9223372036854775807d")]
    [InlineData("9223372036854775807ms")]
    public void Parse_TooLarge(string text)
    {
        var exception = Assert.Throws<OptionFormatException>(() => FlinkDuration.Parse(text, DurationUnit.Milliseconds));

        Assert.Contains($"'{text}'", exception.Message);
        Assert.Contains("at most 10675199 days", exception.Message);
    }

    [Fact]
    public void Parse_LargeNanoseconds()
    {
        var duration = FlinkDuration.Parse("9223372036854775807ns", DurationUnit.Milliseconds);

        Assert.Equal(TimeSpan.FromTicks(92233720368547758), duration);
    }

    [Theory]
    [InlineData(nameof(DurationUnit.Milliseconds), "milliseconds")]
    [InlineData(nameof(DurationUnit.Seconds), "seconds")]
    public void Parse_MessageNamesBareUnit(string bareNumberUnit, string unitName)
    {
        var unit = Enum.Parse<DurationUnit>(bareNumberUnit);

        var exception = Assert.Throws<OptionFormatException>(() => FlinkDuration.Parse("1.5", unit));

        Assert.Contains($"A number without a unit means {unitName}.", exception.Message);
    }

    [Fact]
    public void Parse_Null()
    {
        Assert.Throws<ArgumentNullException>(() => FlinkDuration.Parse(null!, DurationUnit.Milliseconds));
    }

    [Theory]
    [MemberData(nameof(FormattedDurations))]
    public void Format_LargestExactUnit(TimeSpan duration, string expected)
    {
        Assert.Equal(expected, FlinkDuration.Format(duration));
    }

    [Theory]
    [MemberData(nameof(FormattedDurations))]
    public void Format_RoundTrips(TimeSpan duration, string formatted)
    {
        Assert.Equal(duration, FlinkDuration.Parse(formatted, DurationUnit.Seconds));
    }

    [Fact]
    public void Format_Negative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FlinkDuration.Format(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlinkDuration.Format(Timeout.InfiniteTimeSpan));
    }
}
