using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Cluster;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Actors.Tests.Cluster;

/// <summary>
/// Lookups and sinks with a rate limit whose endpoint entity cannot be reached: the local registry is stopped, or the
/// node uses the cluster provider but has not joined a cluster, so its shard region only buffers the permit requests.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PermitLeaseTimeoutTests : IDisposable
{
    private static readonly RowType Orders = TypeParser.ParseColumns("id STRING");
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(20);

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly List<ActorSystem> _systems = [];
    private readonly List<string> _folders = [];

    public PermitLeaseTimeoutTests()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        _server.Given(Request.Create().WithPath("/customers").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"1","msg":"ok"}"""));
    }

    public void Dispose()
    {
        foreach (var system in _systems)
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(20));
        }

        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task Sink_RegistryStopped_FailsWithPermitError()
    {
        var system = await LocalSystemWithoutEntitiesAsync();
        using var sink = HttpSink.Create(SinkSettings.Create(TableOptions.FromDictionary("orders", SinkOptions())), new HttpSinkOptions { ActorSystem = system });
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<SinkFailedException>(() => RunSinkAsync(sink, system, 3));

        Assert.Contains("Sink table 'orders' failed: POST", failure.Message, StringComparison.Ordinal);
        Assert.Contains("failed because no rate permit was available", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"Endpoint 'http://127.0.0.1:{_server.Port}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("did not reply to permit requests for", failure.Message, StringComparison.Ordinal);
        Assert.IsType<PermitLeaseTimeoutException>(failure.InnerException);
        Assert.Empty(_server.LogEntries);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the sink failed only after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Sink_DeadLetter_WritesPermitError()
    {
        var system = await LocalSystemWithoutEntitiesAsync();
        var folder = Directory.CreateTempSubdirectory("permit-dead-letters-").FullName;
        _folders.Add(folder);
        var path = Path.Combine(folder, "orders.ndjson");
        var options = SinkOptions();
        options["http.sink.on-failure"] = "dead-letter";
        options["http.sink.dead-letter.path"] = path;
        SinkResult result;
        using (var sink = HttpSink.Create(SinkSettings.Create(TableOptions.FromDictionary("orders", options)), new HttpSinkOptions { ActorSystem = system }))
        {
            result = await RunSinkAsync(sink, system, 3);
        }

        Assert.Equal(3, result.DeadLettered);
        Assert.Equal(0, result.Delivered);
        var lines = File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line =>
        {
            var reason = line.GetProperty("reason").GetString();
            Assert.Contains("failed because no rate permit was available", reason, StringComparison.Ordinal);
            Assert.Contains("did not reply to permit requests for", reason, StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, line.GetProperty("status").ValueKind);
        });
    }

    [Fact]
    public async Task Lookup_RegistryStopped_FailsWithPermitError()
    {
        var system = await LocalSystemWithoutEntitiesAsync();
        var settings = LookupSettings.Create(TableOptions.FromDictionary("customers", new Dictionary<string, string>
        {
            ["connector"] = "rest-lookup",
            ["url"] = _server.Url + "/customers",
            ["columns"] = "id STRING, msg STRING",
            ["http.rate-limit.requests-per-second"] = "50",
            ["http.rate-limit.lease-timeout"] = "1s",
        }));
        using var join = LookupJoin.Create(settings, new LookupJoinSpec("c", [new("id", "id")], JoinType.Inner), Orders, new LookupJoinOptions { ActorSystem = system });

        var failure = await Assert.ThrowsAsync<LookupFailedException>(() => Source.Single(new Row(Orders, ["1"]))
            .Via(join.Flow)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), system.Materializer())
            .WaitAsync(RunLimit));

        Assert.Contains("Lookup in table 'customers' failed: GET", failure.Message, StringComparison.Ordinal);
        Assert.Contains("failed because no rate permit was available", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"Endpoint 'http://127.0.0.1:{_server.Port}'", failure.Message, StringComparison.Ordinal);
        Assert.IsType<PermitLeaseTimeoutException>(failure.InnerException);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task Sink_NodeNotJoined_RecoversOnJoin()
    {
        var system = ActorSystem.Create("permit-lease-test", ConfigurationFactory.ParseString(ClusterOfThree.Hocon));
        _systems.Add(system);
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", SinkOptions()));
        using var sink = HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = system });

        var failure = await Assert.ThrowsAsync<SinkFailedException>(() => RunSinkAsync(sink, system, 3));
        Assert.IsType<PermitLeaseTimeoutException>(failure.InnerException);

        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(RunLimit);

        // The gate notices the entity's first reply to its repeated permit requests, and then lets requests through.
        var gate = EndpointCoordinator.Get(system).GetGate(settings.Endpoint);
        await WaitUntilGateOpensAsync(gate);
        var result = await RunSinkAsync(sink, system, 3);

        Assert.Equal(3, result.Delivered);
        Assert.Equal(3, _server.LogEntries.Count());
    }

    private static async Task WaitUntilGateOpensAsync(EndpointGate gate)
    {
        var deadline = DateTime.UtcNow + RunLimit;
        while (true)
        {
            try
            {
                var ticket = await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(RunLimit);
                gate.Complete(ticket, 200, null, failed: false);
                return;
            }
            catch (PermitLeaseTimeoutException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static Task<SinkResult> RunSinkAsync(HttpSink sink, ActorSystem system, int rows) =>
        Source.From(Enumerable.Range(0, rows)).Select(i => new Row(Orders, [i.ToString()]))
            .RunWith(sink.Sink, system.Materializer())
            .WaitAsync(RunLimit);

    private Dictionary<string, string> SinkOptions() => new()
    {
        ["url"] = _server.Url + "/orders",
        ["http.sink.writer.request.mode"] = "single",
        ["http.rate-limit.requests-per-second"] = "50",
        ["http.rate-limit.lease-timeout"] = "1s",
    };

    /// <summary>Returns a local actor system whose endpoint registry is stopped, so permit requests go to dead letters.</summary>
    private async Task<ActorSystem> LocalSystemWithoutEntitiesAsync()
    {
        var system = ActorSystem.Create("permit-lease-test", "akka.loglevel = ERROR");
        _systems.Add(system);
        var stopped = await EndpointCoordinator.Get(system).Entities.GracefulStop(TimeSpan.FromSeconds(5));
        Assert.True(stopped, "the endpoint registry did not stop");
        return system;
    }
}
