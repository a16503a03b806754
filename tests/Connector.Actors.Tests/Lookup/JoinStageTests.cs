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

    /// <summary>Answers the ids k{first} to k{first + count - 1} with the id as msg after the delay, and returns the ids.</summary>
    private string[] RespondToKeys(int first, int count, int delayMilliseconds)
    {
        var ids = Enumerable.Range(first, count).Select(i => $"k{i}").ToArray();
        foreach (var id in ids)
        {
            Respond(id, $$"""{"msg":"{{id}}"}""", delayMilliseconds);
        }

        return ids;
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

    [Fact]
    public async Task SlowResponse_DoesNotHoldBackLaterRequests()
    {
        Respond("k0", """{"msg":"slow"}""", delayMilliseconds: 2000);
        string[] ids = ["k0", .. RespondToKeys(1, 9, delayMilliseconds: 0)];

        var options = BaseOptions();
        options["http.source.lookup.request.thread-pool.size"] = "2";

        var output = await LookupAsync(options, ids);

        Assert.Equal(ids, output.Select(row => row["id"]));
        var requests = Requests;
        Assert.Equal(10, requests.Count);
        var slowReceived = requests.Single(e => e.RequestMessage.Query!["id"][0] == "k0").RequestMessage.DateTime;

        // The other nine lookups ran through the second request slot while the first response was delayed.
        foreach (var entry in requests.Where(e => e.RequestMessage.Query!["id"][0] != "k0"))
        {
            var lag = entry.RequestMessage.DateTime - slowReceived;
            Assert.True(lag < TimeSpan.FromMilliseconds(1500), $"{entry.RequestMessage.Url} arrived {lag.TotalMilliseconds:0} ms after k0");
        }
    }

    [Fact]
    public async Task InFlightRequests_StayWithinPoolSize()
    {
        var ids = RespondToKeys(0, 6, delayMilliseconds: 400);

        var options = BaseOptions();
        options["http.source.lookup.request.thread-pool.size"] = "2";

        var output = await LookupAsync(options, ids);

        Assert.Equal(ids, output.Select(row => row["id"]));
        var received = Requests.Select(e => e.RequestMessage.DateTime).ToList();
        Assert.Equal(6, received.Count);

        // With two requests in flight, the third can start only when the first response has arrived.
        for (var i = 2; i < received.Count; i++)
        {
            var gap = received[i] - received[i - 2];
            Assert.True(gap >= TimeSpan.FromMilliseconds(350), $"request {i} started {gap.TotalMilliseconds:0} ms after request {i - 2}");
        }
    }

    [Fact]
    public async Task BufferCapacity_BoundsRequestsInFlight()
    {
        var ids = RespondToKeys(0, 4, delayMilliseconds: 300);

        var options = BaseOptions();
        options["http.source.lookup.request.thread-pool.size"] = "8";
        var spec = IdJoin with { BufferCapacity = 1 };

        var output = await RunAsync(options, IdSource, ids.Select(id => SourceRow(IdSource, id)), spec);

        Assert.Equal(ids, output.Select(row => row["id"]));
        var received = Requests.Select(e => e.RequestMessage.DateTime).ToList();
        for (var i = 1; i < received.Count; i++)
        {
            var gap = received[i] - received[i - 1];
            Assert.True(gap >= TimeSpan.FromMilliseconds(250), $"request {i} started {gap.TotalMilliseconds:0} ms after request {i - 1}");
        }
    }

    [Fact]
    public void BufferCapacity_BelowOne_IsRejected()
    {
        var spec = IdJoin with { BufferCapacity = 0 };

        var exception = Assert.Throws<Connector.Actors.Options.ConfigurationException>(
            () => LookupJoin.Create(CreateSettings(BaseOptions()), spec, IdSource));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal("buffer-capacity", problem.Option);
        Assert.Contains("invalid value 0", problem.Message);
        Assert.Contains("at least 1", problem.Message);
    }

    [Fact]
    public async Task ResumingDecider_DropsFailedWaitingElement()
    {
        Respond("slow", """{"msg":"slow"}""", delayMilliseconds: 300);
        Respond("bad", "down", status: 500);
        Respond("good", """{"msg":"ok"}""");
        var options = BaseOptions();
        options["lookup.max-retries"] = "0";
        options["http.source.lookup.request.thread-pool.size"] = "1";
        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource);
        var flow = join.Flow.WithAttributes(ActorAttributes.CreateSupervisionStrategy(Deciders.ResumingDecider));
        var rows = new[] { "slow", "bad", "good", "bad", "good" }.Select(id => SourceRow(IdSource, id)).ToList();

        var output = await Source.From(rows)
            .Via(flow)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), Sys.Materializer())
            .WaitAsync(StreamTimeout);

        Assert.Equal(["slow", "good", "good"], output.Select(row => row["id"]));
        Assert.Equal(2, join.Metrics.Failures);
    }
}
