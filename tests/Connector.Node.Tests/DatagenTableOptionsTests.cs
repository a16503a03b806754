using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Node.Tables;

namespace Connector.Node.Tests;

/// <summary>Tests of the problems that datagen options report, which need no actor system.</summary>
public sealed class DatagenTableOptionsTests
{
    [Fact]
    public void FieldOption_MisspeltSuggestsClosest()
    {
        var problem = Assert.Single(CreateProblems("id STRING", ("fields.id.kidn", "sequence")));

        Assert.Equal("table 'orders'", problem.Scope);
        Assert.Equal("fields.id.kidn", problem.Option);
        Assert.Equal("unknown field option 'kidn'; did you mean 'kind'?", problem.Message);
    }

    [Fact]
    public void FieldOption_UnrelatedListsKnown()
    {
        var problem = Assert.Single(CreateProblems("id STRING", ("fields.id.distribution", "normal")));

        Assert.Equal("fields.id.distribution", problem.Option);
        Assert.Equal("unknown field option 'distribution'; known: kind, start, end, min, max, length, max-past, null-rate.", problem.Message);
    }

    [Fact]
    public void FieldOption_UnknownColumn()
    {
        var problem = Assert.Single(CreateProblems("id STRING, n INT", ("fields.idd.kind", "sequence")));

        Assert.Equal("fields.idd.kind", problem.Option);
        Assert.Equal("'idd' is not a column; columns: id, n.", problem.Message);
    }

    [Fact]
    public void FieldOption_UnknownNestedField()
    {
        var problem = Assert.Single(CreateProblems("details ROW<isActive BOOLEAN>", ("fields.details.active.kind", "random")));

        Assert.Equal("fields.details.active.kind", problem.Option);
        Assert.Equal("'details.active' is not a column; columns: details.", problem.Message);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("1", null)]
    [InlineData(null, "5")]
    public void Sequence_MissingStartOrEnd(string? start, string? end)
    {
        var options = new List<(string, string)> { ("fields.id.kind", "sequence") };
        if (start is not null)
        {
            options.Add(("fields.id.start", start));
        }

        if (end is not null)
        {
            options.Add(("fields.id.end", end));
        }

        var problem = Assert.Single(CreateProblems("id STRING", [.. options]));

        Assert.Equal("fields.id.kind", problem.Option);
        Assert.Equal("a sequence needs fields.id.start and fields.id.end.", problem.Message);
    }

    [Fact]
    public void Sequence_EndBeforeStart()
    {
        var problem = Assert.Single(CreateProblems("id STRING",
            ("fields.id.kind", "sequence"), ("fields.id.start", "5"), ("fields.id.end", "1")));

        Assert.Equal("fields.id.end", problem.Option);
        Assert.Equal("the end 1 is smaller than the start 5.", problem.Message);
    }

    [Theory]
    [InlineData("BOOLEAN")]
    [InlineData("DATE")]
    [InlineData("ROW<a INT>")]
    [InlineData("ARRAY<INT>")]
    public void Sequence_UnsupportedType(string type)
    {
        var problem = Assert.Single(CreateProblems("flag " + type,
            ("fields.flag.kind", "sequence"), ("fields.flag.start", "1"), ("fields.flag.end", "2")));

        Assert.Equal("fields.flag.kind", problem.Option);
        Assert.Equal($"a sequence cannot generate {type}; use kind = random or a number or STRING column.", problem.Message);
    }

    [Theory]
    [InlineData("TINYINT", "-129", "0", "fields.n.start", "the start -129 is outside the TINYINT range -128 to 127.")]
    [InlineData("TINYINT", "0", "128", "fields.n.end", "the end 128 is outside the TINYINT range -128 to 127.")]
    [InlineData("SMALLINT", "-32769", "0", "fields.n.start", "the start -32769 is outside the SMALLINT range -32768 to 32767.")]
    [InlineData("SMALLINT", "0", "32768", "fields.n.end", "the end 32768 is outside the SMALLINT range -32768 to 32767.")]
    [InlineData("INT", "0", "2147483648", "fields.n.end", "the end 2147483648 is outside the INT range -2147483648 to 2147483647.")]
    public void Sequence_OutOfTypeRange(string type, string start, string end, string option, string message)
    {
        var problem = Assert.Single(CreateProblems("n " + type,
            ("fields.n.kind", "sequence"), ("fields.n.start", start), ("fields.n.end", end)));

        Assert.Equal(option, problem.Option);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("9223372036854775806", "9223372036854775808", "fields.n.end", "the end 9223372036854775808 is outside the BIGINT range -9223372036854775808 to 9223372036854775807.")]
    [InlineData("-9223372036854775809", "0", "fields.n.start", "the start -9223372036854775809 is outside the BIGINT range -9223372036854775808 to 9223372036854775807.")]
    public void Sequence_OutOfBigIntRange(string start, string end, string option, string message)
    {
        var problem = Assert.Single(CreateProblems("n BIGINT",
            ("fields.n.kind", "sequence"), ("fields.n.start", start), ("fields.n.end", end)));

        Assert.Equal(option, problem.Option);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("fields.n.min", "-1e30", "the min -1e30 is outside the BIGINT range -9223372036854775808 to 9223372036854775807.")]
    [InlineData("fields.n.max", "9223372036854775808", "the max 9223372036854775808 is outside the BIGINT range -9223372036854775808 to 9223372036854775807.")]
    public void Random_OutOfBigIntRange(string option, string value, string message)
    {
        var problem = Assert.Single(CreateProblems("n BIGINT", (option, value)));

        Assert.Equal(option, problem.Option);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("INT", "fields.n.start", "1.5", "the start 1.5 is not a whole number, but the INT column needs one.")]
    [InlineData("BIGINT", "fields.n.end", "10.25", "the end 10.25 is not a whole number, but the BIGINT column needs one.")]
    [InlineData("TINYINT", "fields.n.start", "-0.5", "the start -0.5 is not a whole number, but the TINYINT column needs one.")]
    public void Sequence_FractionalBoundRejected(string type, string option, string value, string message)
    {
        var bounds = new Dictionary<string, string> { ["fields.n.start"] = "1", ["fields.n.end"] = "20", [option] = value };

        var problem = Assert.Single(CreateProblems("n " + type,
            ("fields.n.kind", "sequence"), ("fields.n.start", bounds["fields.n.start"]), ("fields.n.end", bounds["fields.n.end"])));

        Assert.Equal(option, problem.Option);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("SMALLINT", "fields.n.min", "0.4", "the min 0.4 is not a whole number, but the SMALLINT column needs one.")]
    [InlineData("BIGINT", "fields.n.max", "2.5", "the max 2.5 is not a whole number, but the BIGINT column needs one.")]
    public void Random_FractionalBoundRejected(string type, string option, string value, string message)
    {
        var problem = Assert.Single(CreateProblems("n " + type, (option, value)));

        Assert.Equal(option, problem.Option);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void Sequence_BigIntRangeEdgesAccepted()
    {
        var problems = new List<ConfigurationProblem>();

        var table = DatagenTable.Create(
            Options(("fields.n.kind", "sequence"), ("fields.n.start", "9223372036854775806"), ("fields.n.end", "9223372036854775807")),
            TypeParser.ParseColumns("n BIGINT"),
            problems);

        Assert.Empty(problems);
        Assert.NotNull(table);
        Assert.Equal(2L, table.RowCount);
    }

    [Theory]
    [InlineData("TINYINT", "fields.n.min", "-200", "the min -200 is outside the TINYINT range -128 to 127.")]
    [InlineData("TINYINT", "fields.n.max", "300", "the max 300 is outside the TINYINT range -128 to 127.")]
    [InlineData("SMALLINT", "fields.n.max", "40000", "the max 40000 is outside the SMALLINT range -32768 to 32767.")]
    public void Random_OutOfTypeRange(string type, string option, string value, string message)
    {
        var problem = Assert.Single(CreateProblems("n " + type, (option, value)));

        Assert.Equal(option, problem.Option);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("TINYINT", "-128", "127", 256)]
    [InlineData("SMALLINT", "-32768", "32767", 65536)]
    public void Sequence_TypeRangeEdgesAccepted(string type, string start, string end, long rows)
    {
        var problems = new List<ConfigurationProblem>();

        var table = DatagenTable.Create(
            Options(("fields.n.kind", "sequence"), ("fields.n.start", start), ("fields.n.end", end)),
            TypeParser.ParseColumns("n " + type),
            problems);

        Assert.Empty(problems);
        Assert.NotNull(table);
        Assert.Equal(rows, table.RowCount);
    }

    [Fact]
    public void Kind_Invalid()
    {
        var problem = Assert.Single(CreateProblems("id STRING", ("fields.id.kind", "seq")));

        Assert.Equal("fields.id.kind", problem.Option);
        Assert.Equal("invalid value 'seq'; allowed values: sequence, random.", problem.Message);
    }

    [Fact]
    public void Random_MaxBelowMin()
    {
        var problem = Assert.Single(CreateProblems("n INT", ("fields.n.min", "10"), ("fields.n.max", "1")));

        Assert.Equal("fields.n.max", problem.Option);
        Assert.Equal("the max 1 is smaller than the min 10.", problem.Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    [InlineData("1.5")]
    public void NumberOfRows_Invalid(string value)
    {
        var problem = Assert.Single(CreateProblems("id STRING", ("number-of-rows", value)));

        Assert.Equal("number-of-rows", problem.Option);
        Assert.Equal($"invalid value '{value}'; expected a whole number of at least 0.", problem.Message);
    }

    [Fact]
    public void TableOption_MisspeltSuggestsClosest()
    {
        var problem = Assert.Single(CreateProblems("id STRING", ("rows-per-secnd", "5")));

        Assert.Equal("rows-per-secnd", problem.Option);
        Assert.Equal("unknown option; did you mean 'rows-per-second'?", problem.Message);
    }

    [Fact]
    public void Create_EveryProblemListed()
    {
        var problems = CreateProblems("id STRING, flag BOOLEAN",
            ("fields.id.kidn", "sequence"),
            ("fields.nope.kind", "random"),
            ("fields.flag.kind", "sequence"),
            ("fields.flag.start", "1"),
            ("fields.flag.end", "2"),
            ("number-of-rows", "-1"));

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Option == "fields.id.kidn");
        Assert.Contains(problems, p => p.Option == "fields.nope.kind");
        Assert.Contains(problems, p => p.Option == "fields.flag.kind");
        Assert.Contains(problems, p => p.Option == "number-of-rows");
    }

    [Fact]
    public void Create_NoColumnsGivesNoTable()
    {
        var problems = new List<ConfigurationProblem>();

        var table = DatagenTable.Create(Options(), null, problems);

        Assert.Null(table);
        Assert.Empty(problems);
    }

    private static List<ConfigurationProblem> CreateProblems(string columns, params (string Name, string Value)[] options)
    {
        var problems = new List<ConfigurationProblem>();
        var table = DatagenTable.Create(Options(options), TypeParser.ParseColumns(columns), problems);
        Assert.Null(table);
        return problems;
    }

    private static TableOptions Options(params (string Name, string Value)[] options)
    {
        var values = new Dictionary<string, string>
        {
            ["connector"] = "datagen",
            ["rows-per-second"] = "100000",
        };
        foreach (var (name, value) in options)
        {
            values[name] = value;
        }

        return TableOptions.FromDictionary("orders", values);
    }
}
