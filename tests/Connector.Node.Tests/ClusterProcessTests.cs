using System.Net;
using System.Net.Sockets;
using Connector.Node.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Node.Tests;

[Collection(NodeProcessCollection.Name)]
public sealed class ClusterProcessTests : IDisposable
{
    private const double Limit = 30;

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task ThreeNodes_RateLimit_HoldsAcrossNodeLoss()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var ports = Enumerable.Range(0, 3).Select(_ => FreePort()).ToArray();
        var seed = $"akka.tcp://httpactors@127.0.0.1:{ports[0]}";
        var pipelines = _folder.Write("pipelines.conf", $$"""
            httpactors.node.progress-interval = 1s
            httpactors.node.drain-timeout = 20s
            akka.cluster.split-brain-resolver.stable-after = 4s
            akka.cluster.failure-detector.acceptable-heartbeat-pause = 3s
            httpactors.tables {
              orders { connector = datagen, columns = "id STRING, node STRING", rows-per-second = 100, fields.node.length = 4 }
              out {
                connector = http-sink
                url = "{{_server.Url}}/orders"
                "http.sink.writer.request.mode" = single
                "sink.batch.max-size" = 5
                "sink.requests.max-buffered" = 10
                "sink.requests.max-inflight" = 4
                "http.rate-limit.requests-per-second" = {{Limit}}
                "http.rate-limit.burst" = 3
              }
            }
            httpactors.pipelines.send { from = orders, to = out }
            """);
        var nodeFiles = ports.Select((port, i) => _folder.Write($"node{i + 1}.conf", $$"""
            akka.remote.dot-netty.tcp.port = {{port}}
            akka.cluster.seed-nodes = ["{{seed}}"]
            """)).ToArray();

        var nodes = nodeFiles.Select(file => NodeProcess.Start(_folder.Path, "run", file, pipelines)).ToArray();
        try
        {
            foreach (var node in nodes)
            {
                await node.WaitForErrorTextAsync("Pipeline send progress", TimeSpan.FromSeconds(60));
            }

            // Measure the three-node rate once every node has been sending for a while.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var threeNodes = await MeasureRateAsync(TimeSpan.FromSeconds(6));
            Assert.InRange(threeNodes, Limit * 0.75, Limit * 1.1);

            nodes[2].Kill();
            await Task.Delay(TimeSpan.FromSeconds(6));
            var twoNodes = await MeasureRateAsync(TimeSpan.FromSeconds(6));
            Assert.InRange(twoNodes, Limit * 0.6, Limit * 1.1);

            nodes[0].Terminate();
            nodes[1].Terminate();
            var exitCodes = await Task.WhenAll(nodes[0].WaitForExitAsync(TimeSpan.FromSeconds(60)), nodes[1].WaitForExitAsync(TimeSpan.FromSeconds(60)));

            Assert.All(exitCodes, code => Assert.Equal(0, code));
            Assert.Contains("failed 0", nodes[0].Error);
            Assert.Contains("failed 0", nodes[1].Error);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }
    }

    private async Task<double> MeasureRateAsync(TimeSpan window)
    {
        var start = DateTime.UtcNow;
        await Task.Delay(window);
        var end = DateTime.UtcNow;
        var count = _server.LogEntries.Count(e => e.RequestMessage.DateTime >= start && e.RequestMessage.DateTime < end);
        return count / window.TotalSeconds;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
