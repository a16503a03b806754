using Connector.Actors.Options;

namespace Connector.Actors.Tests.Options;

/// <summary>Tests of the status code set and its lookup code list syntax.</summary>
public sealed class StatusCodeSetTests
{
    public static TheoryData<string, int[]> ValidExpressions => new()
    {
        { "2XX,404,!203,!205", [.. Codes(200, 299, 203, 205), 404] },
        { "  400, 401 , 403, 500,501,  !502", [400, 401, 403, 500, 501] },
        { "!405,1XX,  2XX ,404,!202,405", [.. Codes(100, 299, 202), 404] },
        { "!404, 4XX", Codes(400, 499, 404) },
        { "2xX,!401,3Xx,4xx", Codes(200, 499, 401) },
        { "", [] },
        { "   ", [] },
        { ",, ,", [] },
        { "404", [404] },
        { " 599 ,100", [100, 599] },
        { "404,404", [404] },
        { "!404", [] },
        { "404,!404", [] },
        { "5XX,!500,!599", Codes(501, 598) },
        { "1xx", Codes(100, 199) },
        { "1XX,2XX,3XX,4XX,5XX", Codes(100, 599) },
    };

    public static TheoryData<string, string> FormattedSets => new()
    {
        { "2XX,404,!203,!205", "2XX,404,!203,!205" },
        { "404,200", "200,404" },
        { "4xx", "4XX" },
        { "", "" },
        { "1XX,2XX", "1XX,2XX" },
        { "500,503,504", "500,503,504" },
        { "5XX,!500,!599", "5XX,!500,!599" },
        { "2XX,5XX,!200,!500", "2XX,5XX,!200,!500" },
    };

    [Theory]
    [MemberData(nameof(ValidExpressions))]
    public void Parse_ValidExpression(string expression, int[] expected)
    {
        var set = StatusCodeSet.Parse(expression);

        Assert.Equal(expected, set.Codes);
    }

    [Fact]
    public void Parse_ClassWithExclusions()
    {
        var set = StatusCodeSet.Parse("2XX,404,!203,!205");

        Assert.True(set.Contains(200));
        Assert.True(set.Contains(299));
        Assert.True(set.Contains(404));
        Assert.False(set.Contains(203));
        Assert.False(set.Contains(205));
        Assert.False(set.Contains(300));
        Assert.Equal(99, set.Codes.Count);
    }

    [Theory]
    [InlineData("6XX", "6XX")]
    [InlineData("1XXX", "1XXX")]
    [InlineData("600", "600")]
    [InlineData("99", "99")]
    [InlineData("1XX,11", "11")]
    [InlineData("abc", "abc")]
    [InlineData("!1XX", "!1XX")]
    [InlineData("!4XX", "!4XX")]
    [InlineData("1 2 3", "1 2 3")]
    [InlineData("1X X", "1X X")]
    [InlineData("!600", "!600")]
    [InlineData("+200", "+200")]
    [InlineData("0200", "0200")]
    [InlineData("!", "!")]
    [InlineData("! 404", "! 404")]
    [InlineData("!!404", "!!404")]
    [InlineData("200,-1", "-1")]
    [InlineData("4X", "4X")]
    [InlineData("0XX", "0XX")]
    [InlineData("200.0", "200.0")]
    [InlineData("٢٠٠", "٢٠٠")]
    [InlineData("2XX;404", "2XX;404")]
    public void Parse_InvalidEntry(string expression, string entry)
    {
        var exception = Assert.Throws<OptionFormatException>(() => StatusCodeSet.Parse(expression));

        Assert.Contains($"'{entry}'", exception.Message);
    }

    [Theory]
    [InlineData("!1XX")]
    [InlineData("!4xx")]
    public void Parse_ExcludedClass(string expression)
    {
        var exception = Assert.Throws<OptionFormatException>(() => StatusCodeSet.Parse(expression));

        Assert.Contains("class cannot be excluded", exception.Message);
    }

    [Fact]
    public void Parse_InvalidEntryListsSyntax()
    {
        var exception = Assert.Throws<OptionFormatException>(() => StatusCodeSet.Parse("6XX"));

        Assert.Contains("from 100 to 599", exception.Message);
        Assert.Contains("1XX to 5XX", exception.Message);
        Assert.Contains("!404", exception.Message);
    }

    [Fact]
    public void Parse_Null()
    {
        Assert.Throws<ArgumentNullException>(() => StatusCodeSet.Parse(null!));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(int.MaxValue)]
    public void Contains_OutsideRange(int code)
    {
        var all = StatusCodeSet.Range(StatusCodeSet.MinCode, StatusCodeSet.MaxCode);

        Assert.False(all.Contains(code));
    }

    [Fact]
    public void Empty_HasNoCodes()
    {
        Assert.True(StatusCodeSet.Empty.IsEmpty);
        Assert.Empty(StatusCodeSet.Empty.Codes);
        Assert.Equal(string.Empty, StatusCodeSet.Empty.ToString());
    }

    [Fact]
    public void IsEmpty_WithCode()
    {
        Assert.False(StatusCodeSet.Of(200).IsEmpty);
    }

    [Fact]
    public void Of_SortsAndDeduplicates()
    {
        var set = StatusCodeSet.Of(503, 200, 200, 100, 599);

        Assert.Equal([100, 200, 503, 599], set.Codes);
    }

    [Fact]
    public void Of_NoCodes()
    {
        Assert.True(StatusCodeSet.Of().IsEmpty);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(-200)]
    public void Of_OutOfRange(int code)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusCodeSet.Of(200, code));
    }

    [Fact]
    public void Range_Inclusive()
    {
        Assert.Equal([200, 201, 202, 203, 204], StatusCodeSet.Range(200, 204).Codes);
        Assert.Equal([404], StatusCodeSet.Range(404, 404).Codes);
        Assert.Equal(500, StatusCodeSet.Range(100, 599).Codes.Count);
    }

    [Theory]
    [InlineData(99, 200)]
    [InlineData(200, 600)]
    [InlineData(300, 200)]
    public void Range_InvalidBounds(int fromInclusive, int toInclusive)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusCodeSet.Range(fromInclusive, toInclusive));
    }

    [Fact]
    public void Union_CombinesBoth()
    {
        var left = StatusCodeSet.Of(200, 404);
        var right = StatusCodeSet.Of(404, 500);

        var union = left.Union(right);

        Assert.Equal([200, 404, 500], union.Codes);
        Assert.Equal([200, 404], left.Codes);
        Assert.Equal([404, 500], right.Codes);
    }

    [Fact]
    public void Intersect_CommonCodes()
    {
        var left = StatusCodeSet.Parse("2XX,500,503");
        var right = StatusCodeSet.Parse("503,500,504,204");

        Assert.Equal([204, 500, 503], left.Intersect(right));
    }

    [Fact]
    public void Intersect_Disjoint()
    {
        Assert.Empty(StatusCodeSet.Parse("2XX").Intersect(StatusCodeSet.Parse("5XX")));
    }

    [Fact]
    public void Except_RemovesCodes()
    {
        var set = StatusCodeSet.Parse("4XX");

        var rest = set.Except(StatusCodeSet.Of(404, 500));

        Assert.Equal(Codes(400, 499, 404), rest.Codes);
        Assert.True(set.Contains(404));
    }

    [Theory]
    [MemberData(nameof(FormattedSets))]
    public void ToString_CompactForm(string expression, string expected)
    {
        Assert.Equal(expected, StatusCodeSet.Parse(expression).ToString());
    }

    [Theory]
    [InlineData("2XX,404,!203,!205")]
    [InlineData("!405,1XX,  2XX ,404,!202,405")]
    [InlineData("4XX,!400,!401,!402,!403,!404,!405,!406,!407,!408,!409")]
    [InlineData("400,401,402,403,404,405,406,407,408,409,410,411,412,413")]
    [InlineData("1XX,2XX,3XX,4XX,5XX")]
    [InlineData("100,599")]
    [InlineData("")]
    public void ToString_RoundTrips(string expression)
    {
        var set = StatusCodeSet.Parse(expression);

        var reparsed = StatusCodeSet.Parse(set.ToString());

        Assert.Equal(set.Codes, reparsed.Codes);
    }

    [Fact]
    public void ToString_HalfClassListsCodes()
    {
        var set = StatusCodeSet.Range(400, 449);

        Assert.Equal(string.Join(",", Codes(400, 449)), set.ToString());
    }

    [Fact]
    public void ToString_MajorityClassUsesExclusions()
    {
        var set = StatusCodeSet.Range(400, 450);

        var expected = "4XX," + string.Join(",", Codes(451, 499).Select(code => $"!{code}"));
        Assert.Equal(expected, set.ToString());
    }

    [Fact]
    public void Equals_SameCodes()
    {
        var parsed = StatusCodeSet.Parse("2XX");
        var range = StatusCodeSet.Range(200, 299);

        Assert.True(parsed.Equals(range));
        Assert.True(parsed.Equals((object)range));
        Assert.Equal(parsed.GetHashCode(), range.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentCodes()
    {
        var set = StatusCodeSet.Parse("2XX");

        Assert.False(set.Equals(StatusCodeSet.Parse("2XX,!204")));
        Assert.False(set.Equals(null));
        Assert.False(set.Equals("2XX"));
    }

    [Fact]
    public void Codes_IsReadOnly()
    {
        var codes = StatusCodeSet.Of(200, 404).Codes;

        var list = Assert.IsAssignableFrom<IList<int>>(codes);
        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list[0] = 500);
    }

    [Theory]
    [InlineData("404", true)]
    [InlineData("4XX", false)]
    [InlineData("4xx", false)]
    [InlineData("099", false)]
    [InlineData("600", false)]
    [InlineData("0404", false)]
    [InlineData(" 404", false)]
    [InlineData("+40", false)]
    [InlineData("", false)]
    public void TryParseCode_Cases(string text, bool expected)
    {
        Assert.Equal(expected, StatusCodeSet.TryParseCode(text, out var code));
        Assert.Equal(expected ? 404 : 0, code);
    }

    private static int[] Codes(int fromInclusive, int toInclusive, params int[] excluded)
    {
        return Enumerable.Range(fromInclusive, toInclusive - fromInclusive + 1)
            .Where(code => !excluded.Contains(code))
            .ToArray();
    }
}
