using System.Diagnostics;
using Connector.Actors.Lookup;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Inner and left joins of stream elements with lookup results, and output order.</summary>
public sealed class JoinTests : LookupTestBase
{
    public JoinTests()
    {
        Server.Given(Request.Create().UsingGet().WithParam("id", "found"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"hit"}"""));
        Server.Given(Request.Create().UsingGet().WithParam("id", "empty"))
            .RespondWith(Response.Create().WithStatusCode(200));
        Server.Given(Request.Create().UsingGet().WithParam("id", "ignored"))
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("not here"));
    }

    private Dictionary<string, string> Options()
    {
        var options = BaseOptions();
        options["http.source.lookup.ignored-response-codes"] = "404";
        return options;
    }

    [Fact]
    public async Task Inner_DropsElementsWithoutResult()
    {
        var output = await LookupAsync(Options(), "empty", "found", "ignored");

        var row = Assert.Single(output);
        Assert.Equal("found", row["id"]);
        Assert.Equal("hit", LookupRow(row)["msg"]);
        Assert.Equal(3, Requests.Count);
    }

    [Fact]
    public async Task Left_EmitsNullLookupColumns()
    {
        var join = new LookupJoinSpec("c", [new("id", "id")], JoinType.Left);
        var rows = new[] { "empty", "found", "ignored" }.Select(id => SourceRow(IdSource, id));

        var output = await RunAsync(Options(), IdSource, rows, join);

        Assert.Equal(["empty", "found", "ignored"], output.Select(row => row["id"]));
        Assert.Equal([null, "hit", null], output.Select(row => LookupRow(row)["msg"]));
        Assert.Equal([null, "found", null], output.Select(row => LookupRow(row)["id"]));
    }

    [Fact]
    public async Task Output_KeepsInputOrderUnderParallelism()
    {
        // Earlier elements get slower responses, so responses arrive in reverse order.
        const int count = 8;
        var server = Server;
        for (var i = 0; i < count; i++)
        {
            server.Given(Request.Create().UsingGet().WithParam("id", $"k{i}"))
                .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"msg":"m{{i}}"}""").WithDelay((count - i) * 100));
        }

        var options = BaseOptions();
        options["http.source.lookup.request.thread-pool.size"] = "8";
        var ids = Enumerable.Range(0, count).Select(i => $"k{i}").ToArray();
        var stopwatch = Stopwatch.StartNew();

        var output = await LookupAsync(options, ids);

        stopwatch.Stop();
        Assert.Equal(ids, output.Select(row => row["id"]));
        Assert.Equal(ids.Select(id => "m" + id[1..]), output.Select(row => LookupRow(row)["msg"]));

        // Sequential requests would take 3.6 s, but concurrent ones take about 0.8 s.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {stopwatch.Elapsed}, so requests did not overlap");
    }

    [Fact]
    public async Task Output_ColumnsAreSourceThenAlias()
    {
        var source = Connector.Actors.Schema.TypeParser.ParseColumns("id STRING, qty INT");

        var output = await RunAsync(Options(), source, [SourceRow(source, "found", 5)], IdJoin);

        var row = Assert.Single(output);
        Assert.Equal(["id", "qty", "c"], row.Type.Fields.Select(f => f.Name));
        Assert.Equal(5, row["qty"]);
    }
}
