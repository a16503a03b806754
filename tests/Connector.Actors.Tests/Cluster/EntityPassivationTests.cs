using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Cluster;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Actors.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class EntityPassivationTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private ClusterOfThree _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await ClusterOfThree.StartAsync("passivation-test", "akka.cluster.sharding.passivate-idle-entity-after = 3s");

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task Entity_Idle_Passivates()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/orders",
            ["http.rate-limit.requests-per-second"] = "100",
        }));
        var rows = TypeParser.ParseColumns("id STRING");
        var node = _cluster.Nodes[1];
        using var sink = HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = node });

        await Source.From(Enumerable.Range(0, 20)).Select(i => new Row(rows, [i.ToString()])).RunWith(sink.Sink, node.Materializer());
        Assert.True(await EntityExistsAsync(settings.Endpoint.EndpointId));

        // The node's heartbeat stops 10 s after its last request, then the entity passivates 3 s after its last message.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await EntityExistsAsync(settings.Endpoint.EndpointId))
        {
            Assert.True(DateTime.UtcNow < deadline, "the idle endpoint entity was still running after 30 s");
            await Task.Delay(500);
        }
    }

    private async Task<bool> EntityExistsAsync(string endpointId)
    {
        foreach (var node in _cluster.Nodes)
        {
            var region = ClusterSharding.Get(node).ShardRegion(EndpointCoordinator.TypeName);
            var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
            if (state.Shards.Any(shard => shard.EntityIds.Contains(endpointId)))
            {
                return true;
            }
        }

        return false;
    }
}
