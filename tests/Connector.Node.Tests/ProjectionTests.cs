using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Node.Pipelines;

namespace Connector.Node.Tests;

/// <summary>Tests of a pipeline's select: column paths, renames and the problems they report.</summary>
public sealed class ProjectionTests
{
    private const string Scope = "pipeline 'enrich'";

    private static readonly RowType Input = TypeParser.ParseColumns(
        "id STRING, c ROW<msg STRING, details ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>>");

    [Fact]
    public void Create_PathsAndRenames()
    {
        var problems = new List<ConfigurationProblem>();

        var projection = Projection.Create(
            ["id", "c.msg", "c.details.isActive as active", "c.details.nestedDetails.balance AS balance"], Input, Scope, problems);

        Assert.Empty(problems);
        Assert.NotNull(projection);
        Assert.Equal("id STRING, msg STRING, active BOOLEAN, balance STRING", projection.OutputType.ToString());
    }

    [Theory]
    [InlineData("c.msg as message")]
    [InlineData("c.msg AS message")]
    [InlineData("c.msg As message")]
    [InlineData("c.msg aS message")]
    [InlineData("  c.msg   as   message  ")]
    public void Create_AliasAnyCase(string item)
    {
        var problems = new List<ConfigurationProblem>();

        var projection = Projection.Create([item], Input, Scope, problems);

        Assert.Empty(problems);
        Assert.Equal("message", Assert.Single(projection!.OutputType.Fields).Name);
    }

    [Fact]
    public void Create_WholeNestedRow()
    {
        var problems = new List<ConfigurationProblem>();

        var projection = Projection.Create(["c.details"], Input, Scope, problems);

        var field = Assert.Single(projection!.OutputType.Fields);
        Assert.Equal("details", field.Name);
        Assert.Equal("ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>", field.Type.ToString());
    }

    [Fact]
    public void Apply_Values()
    {
        var projection = Projection.Create(
            ["c.details.nestedDetails.balance as balance", "id", "c.details.isActive as active", "c.msg"], Input, Scope, [])!;

        var output = projection.Apply(InputRow("1", "hello", true, "100.00"));

        Assert.Equal(new object?[] { "100.00", "1", true, "hello" }, output.Values);
        Assert.Same(projection.OutputType, output.Type);
    }

    [Fact]
    public void Apply_NullIntermediateRowYieldsNull()
    {
        var projection = Projection.Create(
            ["id", "c.msg", "c.details.isActive as active", "c.details.nestedDetails.balance as balance"], Input, Scope, [])!;
        var row = new Row(Input, ["1", null]);

        var output = projection.Apply(row);

        Assert.Equal(new object?[] { "1", null, null, null }, output.Values);
    }

    [Fact]
    public void Apply_NullDeeperRowYieldsNull()
    {
        var projection = Projection.Create(["c.msg", "c.details.nestedDetails.balance as balance"], Input, Scope, [])!;
        var cType = Input[1].Type.RowType!;
        var detailsType = cType[1].Type.RowType!;
        var row = new Row(Input, ["1", new Row(cType, ["m", new Row(detailsType, [false, null])])]);

        var output = projection.Apply(row);

        Assert.Equal(new object?[] { "m", null }, output.Values);
    }

    [Fact]
    public void Create_MissingPath()
    {
        var problems = new List<ConfigurationProblem>();

        var projection = Projection.Create(["id", "c.mesage"], Input, Scope, problems);

        Assert.Null(projection);
        var problem = Assert.Single(problems);
        Assert.Equal(Scope, problem.Scope);
        Assert.Equal("select", problem.Option);
        Assert.Equal("'c.mesage': 'mesage' not found (columns there: msg, details).", problem.Message);
    }

    [Fact]
    public void Create_MissingTopLevelColumn()
    {
        var problems = new List<ConfigurationProblem>();

        Projection.Create(["ID as upper"], Input, Scope, problems);

        var problem = Assert.Single(problems);
        Assert.Equal("'ID as upper': 'ID' not found (columns there: id, c).", problem.Message);
    }

    [Fact]
    public void Create_PathThroughScalar()
    {
        var problems = new List<ConfigurationProblem>();

        Projection.Create(["c.msg.length"], Input, Scope, problems);

        var problem = Assert.Single(problems);
        Assert.Equal("'c.msg.length': 'length' not found (it is not a row).", problem.Message);
    }

    [Fact]
    public void Create_EmptyPathSegment()
    {
        var problems = new List<ConfigurationProblem>();

        Projection.Create(["c..msg"], Input, Scope, problems);

        var problem = Assert.Single(problems);
        Assert.StartsWith("'c..msg': '' not found", problem.Message);
    }

    [Fact]
    public void Create_DuplicateOutputName()
    {
        var problems = new List<ConfigurationProblem>();

        var projection = Projection.Create(["c.msg", "c.msg"], Input, Scope, problems);

        Assert.Null(projection);
        var problem = Assert.Single(problems);
        Assert.Equal(Scope, problem.Scope);
        Assert.Equal("select", problem.Option);
        Assert.Equal("'c.msg': output column 'msg' appears twice; rename one with 'as'.", problem.Message);
    }

    [Fact]
    public void Create_AliasCollidesWithColumn()
    {
        var problems = new List<ConfigurationProblem>();

        Projection.Create(["id", "c.msg as id"], Input, Scope, problems);

        var problem = Assert.Single(problems);
        Assert.Equal("'c.msg as id': output column 'id' appears twice; rename one with 'as'.", problem.Message);
    }

    [Fact]
    public void Create_EveryProblemListed()
    {
        var problems = new List<ConfigurationProblem>();

        var projection = Projection.Create(["nope", "id", "c.x", "id"], Input, Scope, problems);

        Assert.Null(projection);
        Assert.Equal(3, problems.Count);
        Assert.StartsWith("'nope':", problems[0].Message);
        Assert.StartsWith("'c.x':", problems[1].Message);
        Assert.StartsWith("'id': output column 'id' appears twice", problems[2].Message);
    }

    [Fact]
    public void Create_EmptyList()
    {
        var problems = new List<ConfigurationProblem>();

        var projection = Projection.Create([], Input, Scope, problems);

        Assert.Null(projection);
        var problem = Assert.Single(problems);
        Assert.Equal("the list is empty; remove select to keep every column.", problem.Message);
    }

    private static Row InputRow(string id, string msg, bool isActive, string balance)
    {
        var cType = Input[1].Type.RowType!;
        var detailsType = cType[1].Type.RowType!;
        var nestedType = detailsType[1].Type.RowType!;
        var details = new Row(detailsType, [isActive, new Row(nestedType, [balance])]);
        return new Row(Input, [id, new Row(cType, [msg, details])]);
    }
}
