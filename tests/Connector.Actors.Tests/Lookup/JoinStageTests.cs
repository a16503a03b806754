using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Supervision;
using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// The join stage's ordering when cache hits, slow requests and multi-row results mix, and its supervision.
/// </summary>
public sealed class JoinStageTests : LookupTestBase
{
    private void Respond(string id, string body, int delayMilliseconds = 0, int status = 200)
    {
        var response = Response.Create().WithStatusCode(status).WithBody(body);
        if (delayMilliseconds > 0)
        {
            response = response.WithDelay(delayMilliseconds);
        }

        Server.Given(Request.Create().UsingGet().WithParam("id", id)).RespondWith(response);
    }

    [Fact]
    public async Task CacheHits_WaitBehindSlowerRequest()
    {
        Respond("cached", """{"msg":"from cache"}""");
        Respond("slow", """{"msg":"slow"}""", delayMilliseconds: 300);
        var options = BaseOptions();
        options["lookup.cache"] = "PARTIAL";
        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource);
        await RunAsync(join, [SourceRow(IdSource, "cached")]);

        var output = await RunAsync(join, new[] { "slow", "cached", "cached" }.Select(id => SourceRow(IdSource, id)));

        Assert.Equal(["slow", "cached", "cached"], output.Select(row => row["id"]));
        Assert.Equal(["slow", "from cache", "from cache"], output.Select(row => LookupRow(row)["msg"]));
        Assert.Equal(2, Requests.Count);
        Assert.Equal(2, join.Metrics.CacheHits);
    }

    [Fact]
    public async Task ArrayResults_StayGroupedInInputOrder()
    {
        Respond("k1", """[{"msg":"a"},{"msg":"b"}]""", delayMilliseconds: 200);
        Respond("k2", """[{"msg":"c"}]""");
        Respond("k3", "[]");
        Respond("k4", """[{"msg":"d"},{"msg":"e"}]""");
        var options = BaseOptions();
        options["http.source.lookup.result-type"] = "array";

        var output = await LookupAsync(options, "k1", "k2", "k3", "k4");

        Assert.Equal(["k1", "k1", "k2", "k4", "k4"], output.Select(row => row["id"]));
        Assert.Equal(["a", "b", "c", "d", "e"], output.Select(row => LookupRow(row)["msg"]));
    }

    [Fact]
    public async Task LeftJoin_CacheHitWithoutRows()
    {
        Respond("none", string.Empty);
        var options = BaseOptions();
        options["lookup.cache"] = "PARTIAL";
        options["http.source.lookup.request.thread-pool.size"] = "1";
        var spec = new LookupJoinSpec("c", [new("id", "id")], JoinType.Left);

        var output = await RunAsync(options, IdSource, [SourceRow(IdSource, "none"), SourceRow(IdSource, "none")], spec);

        Assert.Equal(["none", "none"], output.Select(row => row["id"]));
        Assert.All(output, row => Assert.Null(LookupRow(row)["msg"]));
        Assert.Single(Requests);
    }

    [Fact]
    public async Task ResumingDecider_DropsFailedElement()
    {
        Respond("good", """{"msg":"ok"}""");
        Respond("bad", "down", status: 500);
        var options = BaseOptions();
        options["lookup.max-retries"] = "0";
        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource);
        var flow = join.Flow.WithAttributes(ActorAttributes.CreateSupervisionStrategy(Deciders.ResumingDecider));
        var rows = new[] { "good", "bad", "good" }.Select(id => SourceRow(IdSource, id)).ToList();

        var output = await Source.From(rows)
            .Via(flow)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), Sys.Materializer())
            .WaitAsync(StreamTimeout);

        Assert.Equal(["good", "good"], output.Select(row => row["id"]));
        Assert.Equal(1, join.Metrics.Failures);
    }
}
