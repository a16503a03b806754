using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Actors.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class EndpointEntityClusterTests : IAsyncLifetime
{
    private static readonly RowType Orders = TypeParser.ParseColumns("id STRING");

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private ClusterOfThree _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ClusterOfThree.StartAsync();

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task Token_ThreeNodes_OneFetchPerExpiryWindow()
    {
        var tokenRequests = 0;
        _server.Given(Request.Create().WithPath("/token").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            Interlocked.Increment(ref tokenRequests);
            Thread.Sleep(200);
            return new WireMock.ResponseMessage
            {
                StatusCode = 200,
                BodyData = new WireMock.Util.BodyData
                {
                    BodyAsJson = new { access_token = "cluster-token", expires_in = 3600 },
                    DetectedBodyType = WireMock.Types.BodyType.Json,
                },
            };
        }));
        _server.Given(Request.Create().WithPath("/client").UsingGet().WithHeader("Authorization", "Bearer cluster-token"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { msg = "ok" }));

        var options = LookupOptionsWith(new()
        {
            ["http.security.oidc.token.endpoint.url"] = _server.Url + "/token",
            ["http.security.oidc.token.request"] = "grant_type=client_credentials&client_secret=s",
        });
        var runs = _cluster.Nodes.Select(node => RunLookupsAsync(node, options, 40)).ToArray();
        var counts = await Task.WhenAll(runs);

        Assert.All(counts, count => Assert.Equal(40, count));
        Assert.Equal(1, tokenRequests);
    }

    [Fact]
    public async Task RateLimit_ThreeNodes_HoldsClusterWide()
    {
        var arrivals = new ConcurrentQueue<DateTime>();
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            arrivals.Enqueue(DateTime.UtcNow);
            return new WireMock.ResponseMessage { StatusCode = 200 };
        }));
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/orders",
            ["http.sink.writer.request.mode"] = "single",
            ["sink.requests.max-inflight"] = "8",
            ["sink.requests.max-buffered"] = "20",
            ["sink.batch.max-size"] = "10",
            ["http.rate-limit.requests-per-second"] = "50",
            ["http.rate-limit.burst"] = "5",
        }));
        var duration = TimeSpan.FromSeconds(20);
        var sinks = _cluster.Nodes.Select(node => HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = node })).ToArray();
        var switches = new List<UniqueKillSwitch>();
        var completions = new List<Task<SinkResult>>();
        for (var i = 0; i < 3; i++)
        {
            var (killSwitch, completion) = Source.Repeat(new Row(Orders, ["x"]))
                .ViaMaterialized(KillSwitches.Single<Row>(), Keep.Right)
                .ToMaterialized(sinks[i].Sink, Keep.Both)
                .Run(_cluster.Nodes[i].Materializer());
            switches.Add(killSwitch);
            completions.Add(completion);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var start = DateTime.UtcNow;
        await Task.Delay(duration);
        var end = DateTime.UtcNow;
        switches.ForEach(s => s.Shutdown());
        await Task.WhenAll(completions).WaitAsync(TimeSpan.FromSeconds(20));
        foreach (var sink in sinks)
        {
            sink.Dispose();
        }

        var measured = arrivals.Where(t => t >= start && t < end).ToArray();
        var rate = measured.Length / duration.TotalSeconds;
        Assert.InRange(rate, 47.5, 52.5);
        var busiestSecond = Enumerable.Range(0, (int)duration.TotalSeconds * 10 - 10)
            .Select(tenth => start.AddMilliseconds(tenth * 100))
            .Max(from => measured.Count(t => t >= from && t < from.AddSeconds(1)));
        Assert.True(busiestSecond <= 60, $"a one-second window held {busiestSecond} requests");

        // The budget is shared among the nodes, so no node is starved by the others.
        var total = completions.Sum(c => c.Result.Delivered);
        Assert.All(completions, c => Assert.True(c.Result.Delivered >= total * 0.15, $"a node delivered {c.Result.Delivered} of {total} rows"));
    }

    [Fact]
    public async Task RetryAfter_OneNode_PausesEveryNode()
    {
        var first = 0;
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            var paused = Interlocked.Exchange(ref first, 1) == 0;
            return new WireMock.ResponseMessage
            {
                StatusCode = paused ? 429 : 200,
                Headers = paused
                    ? new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Retry-After"] = new("2") }
                    : new Dictionary<string, WireMock.Types.WireMockList<string>>(),
            };
        }));
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/orders",
            ["http.sink.writer.request.mode"] = "single",
            ["sink.requests.max-inflight"] = "2",
            ["http.rate-limit.requests-per-second"] = "60",
        }));
        var sinks = _cluster.Nodes.Select(node => HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = node })).ToArray();
        var runs = sinks.Select((sink, i) => Source.From(Enumerable.Range(0, 150)).Select(n => new Row(Orders, [n.ToString()]))
            .RunWith(sink.Sink, _cluster.Nodes[i].Materializer())).ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(40));
        foreach (var sink in sinks)
        {
            sink.Dispose();
        }

        var ordered = _server.LogEntries.Select(e => (Time: e.RequestMessage.DateTime, Status: Convert.ToInt32(e.ResponseMessage.StatusCode)))
            .OrderBy(a => a.Time)
            .ToArray();
        var paused = ordered.Single(a => a.Status == 429).Time;

        // Requests that other nodes sent before the pause reached them may still arrive in the first moments.
        // After that, nothing may arrive until Retry-After has passed.
        var duringPause = ordered.Count(a => a.Time > paused.AddMilliseconds(250) && a.Time < paused.AddSeconds(1.9));
        Assert.Equal(0, duringPause);
        Assert.Contains(ordered, a => a.Time >= paused.AddSeconds(1.9));
        Assert.All(results, r => Assert.Equal(150, r.Delivered));
    }

    [Fact]
    public async Task Entity_HostNodeLost_MovesAndTrafficResumes()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/orders",
            ["http.sink.writer.request.mode"] = "single",
            ["sink.batch.max-size"] = "5",
            ["sink.requests.max-buffered"] = "10",
            ["http.rate-limit.requests-per-second"] = "40",
            ["http.rate-limit.burst"] = "4",
        }));
        var sinks = _cluster.Nodes.Select(node => HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = node })).ToArray();
        for (var i = 0; i < 3; i++)
        {
            _ = Source.Repeat(new Row(Orders, ["x"])).RunWith(sinks[i].Sink, _cluster.Nodes[i].Materializer());
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var host = await FindEntityHostAsync(settings.Endpoint.EndpointId);
        var killed = DateTime.UtcNow;
        await _cluster.Nodes[host].Terminate();

        // The entity restarts once the lost node is downed and its shards are handed over: the failure detector's
        // heartbeat pause, the resolver's stable-after, then a rebalance round, plus slack for this machine.
        var config = _cluster.Nodes[(host + 1) % 3].Settings.Config;
        var bound = config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause") +
            config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after") +
            config.GetTimeSpan("akka.cluster.sharding.rebalance-interval") +
            TimeSpan.FromSeconds(8);
        await Task.Delay(bound);
        var recent = _server.LogEntries.Count(e => e.RequestMessage.DateTime >= DateTime.UtcNow.AddSeconds(-3));

        Assert.True(recent >= 30, $"only {recent} requests in the last 3 s, {bound.TotalSeconds:0} s after the entity's node was lost at {killed:HH:mm:ss.fff}");

        // A surviving node now hosts the entity; the lookup throws when no node does.
        await FindEntityHostAsync(settings.Endpoint.EndpointId, exclude: host);
        foreach (var sink in sinks)
        {
            sink.Dispose();
        }
    }

    private async Task<int> FindEntityHostAsync(string endpointId, int exclude = -1)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            for (var i = 0; i < 3; i++)
            {
                if (i == exclude)
                {
                    continue;
                }

                var region = Akka.Cluster.Sharding.ClusterSharding.Get(_cluster.Nodes[i]).ShardRegion(Connector.Actors.Cluster.EndpointCoordinator.TypeName);
                var state = await region.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
                if (state.Shards.Any(shard => shard.EntityIds.Contains(endpointId)))
                {
                    return i;
                }
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"No node hosts the entity of {endpointId}.");
    }

    private Dictionary<string, string> LookupOptionsWith(Dictionary<string, string> extra)
    {
        var options = new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/client",
            ["columns"] = "id STRING, msg STRING",
        };
        foreach (var (key, value) in extra)
        {
            options[key] = value;
        }

        return options;
    }

    private static async Task<int> RunLookupsAsync(ActorSystem node, Dictionary<string, string> options, int count)
    {
        var settings = LookupSettings.Create(TableOptions.FromDictionary("customers", options));
        using var join = LookupJoin.Create(settings, new LookupJoinSpec("c", [new("id", "id")]), Orders, new LookupJoinOptions { ActorSystem = node });
        var rows = await Source.From(Enumerable.Range(0, count)).Select(i => new Row(Orders, [i.ToString()]))
            .Via(join.Flow)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), node.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));
        return rows.Count;
    }
}
