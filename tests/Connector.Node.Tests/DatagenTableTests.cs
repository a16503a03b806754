using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Node.Tables;

namespace Connector.Node.Tests;

/// <summary>Tests of the rows the datagen source generates and of when the source ends.</summary>
public sealed class DatagenTableTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sequence_ExactValuesThenEnds()
    {
        var table = Create("id STRING", ("fields.id.kind", "sequence"), ("fields.id.start", "1"), ("fields.id.end", "5"));

        var rows = await Run(table);

        Assert.True(table.IsBounded);
        Assert.Equal(5, table.RowCount);
        Assert.Equal(new[] { "1", "2", "3", "4", "5" }, rows.Select(r => r["id"]));
    }

    [Fact]
    public async Task Sequence_IntValues()
    {
        var table = Create("n INT, big BIGINT",
            ("fields.n.kind", "sequence"), ("fields.n.start", "-2"), ("fields.n.end", "2"),
            ("fields.big.kind", "SEQUENCE"), ("fields.big.start", "10000000000"), ("fields.big.end", "10000000010"));

        var rows = await Run(table);

        Assert.Equal(new object[] { -2, -1, 0, 1, 2 }, rows.Select(r => r["n"]));
        Assert.Equal(new object[] { 10_000_000_000L, 10_000_000_001L, 10_000_000_002L, 10_000_000_003L, 10_000_000_004L }, rows.Select(r => r["big"]));
    }

    [Fact]
    public async Task Sequence_SingleValue()
    {
        var table = Create("id STRING", ("fields.id.kind", "sequence"), ("fields.id.start", "7"), ("fields.id.end", "7"));

        var rows = await Run(table);

        Assert.Equal("7", Assert.Single(rows)["id"]);
    }

    [Fact]
    public async Task Sequence_NumberOfRowsCutsShort()
    {
        var table = Create("id STRING",
            ("number-of-rows", "3"), ("fields.id.kind", "sequence"), ("fields.id.start", "1"), ("fields.id.end", "5"));

        var rows = await Run(table);

        Assert.Equal(new[] { "1", "2", "3" }, rows.Select(r => r["id"]));
    }

    [Fact]
    public async Task Sequence_ShortestEndsSource()
    {
        var table = Create("a STRING, b STRING",
            ("fields.a.kind", "sequence"), ("fields.a.start", "1"), ("fields.a.end", "5"),
            ("fields.b.kind", "sequence"), ("fields.b.start", "10"), ("fields.b.end", "11"));

        var rows = await Run(table);

        Assert.Equal(2, table.RowCount);
        Assert.Equal(new[] { "1", "2" }, rows.Select(r => r["a"]));
        Assert.Equal(new[] { "10", "11" }, rows.Select(r => r["b"]));
    }

    [Fact]
    public async Task Sequence_NestedFieldEndsSource()
    {
        var table = Create("details ROW<n INT>",
            ("fields.details.n.kind", "sequence"), ("fields.details.n.start", "1"), ("fields.details.n.end", "3"));

        Assert.True(table.IsBounded);
        Assert.Equal(3, table.RowCount);

        var rows = await Run(table);

        Assert.Equal(new object[] { 1, 2, 3 }, rows.Select(r => ((Row)r["details"]!)["n"]));
    }

    [Fact]
    public async Task NumberOfRows_BoundsRandomSource()
    {
        var table = Create("id STRING, n INT", ("number-of-rows", "7"));

        var rows = await Run(table);

        Assert.True(table.IsBounded);
        Assert.Equal(7, table.RowCount);
        Assert.Equal(7, rows.Count);
        Assert.All(rows, row => Assert.IsType<string>(row["id"]));
        Assert.All(rows, row => Assert.IsType<int>(row["n"]));
    }

    [Fact]
    public async Task NumberOfRows_Zero()
    {
        var table = Create("id STRING", ("number-of-rows", "0"));

        var rows = await Run(table);

        Assert.Empty(rows);
    }

    [Fact]
    public void Random_UnboundedWithoutRowCount()
    {
        var table = Create("id STRING");

        Assert.False(table.IsBounded);
        Assert.Null(table.RowCount);
    }

    [Fact]
    public async Task Random_IntWithinMinMax()
    {
        var table = Create("n INT", ("number-of-rows", "300"), ("fields.n.min", "10"), ("fields.n.max", "12"));

        var rows = await Run(table);

        var values = rows.Select(r => (int)r["n"]!).ToArray();
        Assert.Equal(300, values.Length);
        Assert.All(values, value => Assert.InRange(value, 10, 12));
        Assert.Equal(new[] { 10, 11, 12 }, values.Distinct().Order());
    }

    [Fact]
    public async Task Random_NegativeRange()
    {
        var table = Create("n INT", ("number-of-rows", "50"), ("fields.n.min", "-5"), ("fields.n.max", "-5"));

        var rows = await Run(table);

        Assert.All(rows, row => Assert.Equal(-5, row["n"]));
    }

    [Fact]
    public async Task Random_StringLength()
    {
        var table = Create("s STRING, d STRING", ("number-of-rows", "20"), ("fields.s.length", "12"));

        var rows = await Run(table);

        Assert.Equal(20, rows.Count);
        Assert.All(rows, row => Assert.Equal(12, ((string)row["s"]!).Length));
        Assert.All(rows, row => Assert.Equal(100, ((string)row["d"]!).Length));
        Assert.All(rows, row => Assert.Matches("^[a-zA-Z0-9]{12}$", (string)row["s"]!));
    }

    [Fact]
    public async Task Random_NestedRow()
    {
        var table = Create("details ROW<isActive BOOLEAN, nestedDetails ROW<balance INT, code STRING>>",
            ("number-of-rows", "10"),
            ("fields.details.nestedDetails.balance.min", "5"),
            ("fields.details.nestedDetails.balance.max", "5"),
            ("fields.details.nestedDetails.code.length", "3"));

        var rows = await Run(table);

        Assert.Equal(10, rows.Count);
        foreach (var row in rows)
        {
            var details = Assert.IsType<Row>(row["details"]);
            Assert.IsType<bool>(details["isActive"]);
            var nested = Assert.IsType<Row>(details["nestedDetails"]);
            Assert.Equal(5, nested["balance"]);
            Assert.Equal(3, ((string)nested["code"]!).Length);
        }
    }

    [Fact]
    public async Task Random_NullRateOne()
    {
        var table = Create("s STRING, n INT", ("number-of-rows", "5"), ("fields.s.null-rate", "1"));

        var rows = await Run(table);

        Assert.All(rows, row => Assert.Null(row["s"]));
        Assert.All(rows, row => Assert.NotNull(row["n"]));
    }

    private static DatagenTable Create(string columns, params (string Name, string Value)[] options)
    {
        var problems = new List<ConfigurationProblem>();
        var table = DatagenTable.Create(Options(options), TypeParser.ParseColumns(columns), problems);
        Assert.Empty(problems);
        return Assert.IsType<DatagenTable>(table);
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

    private async Task<IReadOnlyList<Row>> Run(DatagenTable table)
    {
        var rows = await table.CreateSource()
            .RunWith(Sink.Seq<Row>(), Sys.Materializer())
            .WaitAsync(RunTimeout);
        return rows;
    }
}
