using System.Text.Json;
using Connector.Node.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Connector.Node.Tests;

[Collection(NodeProcessCollection.Name)]
public sealed class NodeRunTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Run_LookupToFileSink_WritesEnrichedRows()
    {
        for (var id = 1; id <= 5; id++)
        {
            _server.Given(Request.Create().WithPath("/client").UsingGet().WithParam("id", id.ToString()).WithParam("id2", (id + 1).ToString()))
                .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
                {
                    id = id.ToString(),
                    msg = $"customer {id}",
                    extra = "ignored",
                    details = new { isActive = id % 2 == 0, nestedDetails = new { balance = $"${id}.00" } },
                }));
        }

        var output = Path.Combine(_folder.Path, "enriched.ndjson");

        // A longer file from an earlier run must be replaced, not overwritten in part.
        File.WriteAllText(output, new string('x', 10_000));
        var config = _folder.Write("run.conf", $$"""
            httpactors {
              node.progress-interval = 200ms
              tables {
                orders {
                  connector = datagen
                  columns = "id STRING, id2 STRING"
                  rows-per-second = 100
                  fields.id.kind = sequence
                  fields.id.start = 1
                  fields.id.end = 5
                  fields.id2.kind = sequence
                  fields.id2.start = 2
                  fields.id2.end = 6
                }
                customers {
                  connector = rest-lookup
                  format = json
                  url = "{{_server.Url}}/client"
                  columns = "id STRING, id2 STRING, msg STRING, missing STRING, details ROW<isActive BOOLEAN, nestedDetails ROW<balance STRING>>"
                }
                out { connector = file, path = "{{output}}" }
              }
              pipelines {
                enrich {
                  from = orders
                  lookups = [ { table = customers, as = c, on { id = id, id2 = id2 } } ]
                  select = ["id", "c.msg", "c.missing", "c.details.isActive as active", "c.details.nestedDetails.balance"]
                  to = out
                }
              }
            }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "run", config);
        using (node)
        {
            Assert.True(exitCode == 0, node.Error);
            var lines = File.ReadAllLines(output);
            Assert.Equal(5, lines.Length);
            using var first = JsonDocument.Parse(lines[0]);
            Assert.Equal("1", first.RootElement.GetProperty("id").GetString());
            Assert.Equal("customer 1", first.RootElement.GetProperty("msg").GetString());
            Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("missing").ValueKind);
            Assert.False(first.RootElement.GetProperty("active").GetBoolean());
            Assert.Equal("$1.00", first.RootElement.GetProperty("balance").GetString());
            Assert.Equal(
                ["1", "2", "3", "4", "5"],
                lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToArray());
            Assert.Contains("Pipeline enrich completed", node.Error);
            Assert.Contains("rows in 5, rows out 5, requests 5", node.Error);
        }
    }

    [Fact]
    public async Task Run_HttpSinkBatches_DeliversEveryRow()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var config = _folder.Write("sink.conf", $$"""
            httpactors.tables {
              orders {
                connector = datagen
                columns = "id BIGINT, name STRING"
                number-of-rows = 23
                rows-per-second = 1000
                fields.id.kind = sequence
                fields.id.start = 1
                fields.id.end = 1000
                fields.name.length = 5
              }
              out {
                connector = http-sink
                url = "{{_server.Url}}/orders"
                "sink.batch.max-size" = 10
                "sink.flush-buffer.timeout" = 100ms
                "http.sink.header.X-Source" = demo
              }
            }
            httpactors.pipelines.p { from = orders, to = out }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "run", config);
        using (node)
        {
            Assert.True(exitCode == 0, node.Error);
            var bodies = _server.LogEntries.Select(e => JsonDocument.Parse(e.RequestMessage.Body!)).ToArray();
            var ids = bodies.SelectMany(b => b.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetInt64())).Order().ToArray();
            Assert.Equal(Enumerable.Range(1, 23).Select(i => (long)i).ToArray(), ids);
            Assert.All(bodies, b => Assert.True(b.RootElement.GetArrayLength() <= 10));
            Assert.All(_server.LogEntries, e => Assert.Equal("demo", e.RequestMessage.Headers!["X-Source"].Single()));
            Assert.Contains("delivered 23", node.Error);
            Assert.Contains("failed 0", node.Error);
        }
    }

    [Fact]
    public async Task Run_EnvironmentVariables_FillOptions()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var config = _folder.Write("env.conf", """
            httpactors.node.log-level = Trace
            httpactors.tables {
              orders { connector = datagen, columns = "id BIGINT", number-of-rows = 3, fields.id.kind = sequence, fields.id.start = 1, fields.id.end = 3 }
              out {
                connector = http-sink
                url = ${SINK_BASE_URL}"/orders"
                "sink.batch.max-size" = 1
                "http.sink.header.Authorization" = "sink-user:"${SINK_PASSWORD}
                "http.sink.header.X-Source" = from-file
                "http.sink.header.X-Source" = ${?SINK_SOURCE_UNSET}
              }
            }
            httpactors.pipelines.p { from = orders, to = out }
            """);
        var environment = new Dictionary<string, string>
        {
            ["SINK_BASE_URL"] = _server.Url!,
            ["SINK_PASSWORD"] = "Env-Secret-Password",
        };

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, environment, "run", config);
        using (node)
        {
            Assert.True(exitCode == 0, node.Error);
            Assert.Equal(3, _server.LogEntries.Count());
            var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("sink-user:Env-Secret-Password"));
            Assert.All(_server.LogEntries, e => Assert.Equal(basic, e.RequestMessage.Headers!["Authorization"].Single()));
            Assert.All(_server.LogEntries, e => Assert.Equal("from-file", e.RequestMessage.Headers!["X-Source"].Single()));
            Assert.Contains("delivered 3", node.Error);
            Assert.DoesNotContain("Env-Secret-Password", node.Error);
            Assert.DoesNotContain("Env-Secret-Password", node.Output);
            Assert.DoesNotContain(basic, node.Error);
        }
    }

    [Fact]
    public async Task Run_LookupErrorStatus_ExitsWithOne()
    {
        _server.Given(Request.Create().WithPath("/client").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("no such customer here"));
        var config = _folder.Write("fail.conf", $$"""
            httpactors.tables {
              orders { connector = datagen, columns = "id STRING", number-of-rows = 3, fields.id.kind = sequence, fields.id.start = 1, fields.id.end = 3 }
              customers { connector = rest-lookup, url = "{{_server.Url}}/client", columns = "id STRING, msg STRING" }
              out { connector = blackhole }
            }
            httpactors.pipelines.broken { from = orders, lookups = [ { table = customers, on { id = id } } ], to = out }
            """);

        var (exitCode, node) = await NodeProcess.RunAsync(_folder.Path, RunTimeout, "run", config);
        using (node)
        {
            Assert.Equal(1, exitCode);
            Assert.Contains("Pipeline broken failed", node.Error);
            Assert.Contains("table 'customers'", node.Error);
            Assert.Contains($"GET {_server.Url}/client?id=", node.Error);
            Assert.Contains("status 400", node.Error);
            Assert.Contains("no such customer here", node.Error);
        }
    }

    [Fact]
    public async Task Run_Terminate_DrainsUnboundedPipeline()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(50));
        var config = _folder.Write("unbounded.conf", $$"""
            httpactors.node.progress-interval = 200ms
            httpactors.tables {
              orders { connector = datagen, columns = "id BIGINT", rows-per-second = 200, fields.id.kind = random, fields.id.min = 1, fields.id.max = 9 }
              out { connector = http-sink, url = "{{_server.Url}}/orders", "sink.batch.max-size" = 1000, "sink.flush-buffer.timeout" = 60s }
            }
            httpactors.pipelines.forever { from = orders, to = out }
            """);

        using var node = NodeProcess.Start(_folder.Path, "run", config);
        await node.WaitForErrorTextAsync("Pipeline forever progress", TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        node.Terminate();
        var exitCode = await node.WaitForExitAsync(RunTimeout);

        Assert.True(exitCode == 0, node.Error);
        var received = _server.LogEntries.Sum(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetArrayLength());
        Assert.True(received > 0, node.Error);
        Assert.Contains($"delivered {received},", node.Error);
        Assert.Contains("failed 0", node.Error);
        Assert.Contains("Stopping: draining 1 running pipeline(s)", node.Error);
    }

    [Fact]
    public async Task Run_Terminate_DrainTimeoutEndsBufferedLookups()
    {
        using var node = await StartWithFullLookupBufferAsync("3s");
        node.Terminate();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await node.WaitForExitAsync(RunTimeout);
        stopwatch.Stop();

        Assert.True(exitCode == 1, node.Error);
        Assert.Contains("Pipeline slow did not drain within 3 s;", node.Error);
        Assert.True(ElementsInLookups(node.Error) > 2, node.Error);
        Assert.Contains("Pipeline slow failed", node.Error);
        Assert.DoesNotContain("did not stop after it was aborted", node.Error);

        // Looking up every buffered element would take tens of seconds at two lookups per 2 s.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"exited {stopwatch.Elapsed.TotalSeconds:0.0} s after the signal; {node.Error}");
    }

    [Fact]
    public async Task Run_SecondSignal_EndsDrainAtOnce()
    {
        using var node = await StartWithFullLookupBufferAsync("60s");
        node.Terminate();
        await node.WaitForErrorTextAsync("Stopping: draining 1 running pipeline(s)", TimeSpan.FromSeconds(10));
        node.Terminate();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await node.WaitForExitAsync(RunTimeout);
        stopwatch.Stop();

        Assert.True(exitCode == 1, node.Error);
        Assert.Contains("Pipeline slow was stopped by a second signal;", node.Error);
        Assert.True(ElementsInLookups(node.Error) > 2, node.Error);
        Assert.DoesNotContain("did not stop after it was aborted", node.Error);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"exited {stopwatch.Elapsed.TotalSeconds:0.0} s after the second signal; {node.Error}");
    }

    [Fact]
    public async Task Run_TerminateBeforeJoin_ExitsAtOnce()
    {
        // The seed node's port is closed, so the node keeps trying to join until its 60 s member-up timeout.
        var closedPort = LoopbackPort.Closed();
        var config = _folder.Write("unjoined.conf", $$"""
            akka.cluster.seed-nodes = ["akka.tcp://httpactors@127.0.0.1:{{closedPort}}"]
            httpactors.node.member-up-timeout = 60s
            httpactors.tables {
              orders { connector = datagen, columns = "id BIGINT", rows-per-second = 10 }
              out { connector = http-sink, url = "{{_server.Url}}/orders" }
            }
            httpactors.pipelines.waiting { from = orders, to = out }
            """);
        using var node = NodeProcess.Start(_folder.Path, "run", config);
        await Task.Delay(4000);

        node.Terminate();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await node.WaitForExitAsync(RunTimeout);
        stopwatch.Stop();

        Assert.True(exitCode == 0, node.Error);
        Assert.Contains("Stopped before the pipelines started", node.Error);
        Assert.DoesNotContain("Pipeline waiting started", node.Error);
        Assert.Empty(_server.LogEntries);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"exited {stopwatch.Elapsed.TotalSeconds:0.0} s after the signal; {node.Error}");
    }

    [Fact]
    public async Task Run_Terminate_DrainTimeoutCancelsSinkRequests()
    {
        using var node = await StartWithStuckSinkAsync(onFailure: "fail");
        node.Terminate();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var exitCode = await node.WaitForExitAsync(RunTimeout);
        stopwatch.Stop();

        Assert.True(exitCode == 1, node.Error);
        Assert.Contains("Pipeline stuck did not drain within 2 s;", node.Error);
        Assert.Contains("Pipeline stuck failed", node.Error);
        Assert.Contains("s: Pipeline 'stuck' did not drain within 2 s;", node.Error);
        Assert.DoesNotContain("One or more errors occurred", node.Error);
        Assert.DoesNotContain("did not stop after it was aborted", node.Error);
        Assert.DoesNotContain("sink: not settled", node.Error);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"exited {stopwatch.Elapsed.TotalSeconds:0.0} s after the signal; {node.Error}");
    }

    [Fact]
    public async Task Run_Terminate_DrainTimeoutWithDropExitsOne()
    {
        // Dropping the rows of cancelled requests lets the stream complete, but the drain still left rows undelivered.
        using var node = await StartWithStuckSinkAsync(onFailure: "drop");
        node.Terminate();
        var exitCode = await node.WaitForExitAsync(RunTimeout);

        Assert.True(exitCode == 1, node.Error);
        Assert.Contains("Pipeline stuck did not drain within 2 s;", node.Error);
        Assert.Contains("Pipeline stuck failed", node.Error);
        Assert.DoesNotContain("Pipeline stuck completed", node.Error);
    }

    /// <summary>
    /// Starts an unbounded pipeline named stuck, with a 2 s drain timeout, whose sink requests each take 20 s, far
    /// longer than the drain, and waits until requests are in flight.
    /// </summary>
    private async Task<NodeProcess> StartWithStuckSinkAsync(string onFailure)
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(20_000));
        var config = _folder.Write($"slow-sink-{onFailure}.conf", $$"""
            httpactors.node { progress-interval = 200ms, drain-timeout = 2s }
            httpactors.tables {
              orders { connector = datagen, columns = "id BIGINT", rows-per-second = 100, fields.id.kind = random, fields.id.min = 1, fields.id.max = 9 }
              out { connector = http-sink, url = "{{_server.Url}}/orders", "sink.batch.max-size" = 10, "sink.flush-buffer.timeout" = 100ms, "http.sink.on-failure" = {{onFailure}} }
            }
            httpactors.pipelines.stuck { from = orders, to = out }
            """);
        var node = NodeProcess.Start(_folder.Path, "run", config);
        try
        {
            await node.WaitForErrorTextAsync("Pipeline stuck progress", TimeSpan.FromSeconds(30));
            await Task.Delay(1000);
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts an unbounded pipeline whose lookups take 2 s each, two at a time, and waits until the source, which is
    /// faster, has filled the join's buffer.
    /// </summary>
    private async Task<NodeProcess> StartWithFullLookupBufferAsync(string drainTimeout)
    {
        _server.Given(Request.Create().WithPath("/client").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"slow"}""").WithDelay(2000));
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var config = _folder.Write("slow.conf", $$"""
            httpactors.node { progress-interval = 200ms, drain-timeout = {{drainTimeout}} }
            httpactors.tables {
              orders { connector = datagen, columns = "id BIGINT", rows-per-second = 50, fields.id.kind = random, fields.id.min = 1, fields.id.max = 1000000 }
              customers { connector = rest-lookup, url = "{{_server.Url}}/client", columns = "id BIGINT, msg STRING", "http.source.lookup.request.thread-pool.size" = 2 }
              out { connector = http-sink, url = "{{_server.Url}}/orders", "sink.flush-buffer.timeout" = 200ms }
            }
            httpactors.pipelines.slow { from = orders, lookups = [ { table = customers, as = c
              on { id = id } } ], to = out }
            """);
        var node = NodeProcess.Start(_folder.Path, "run", config);
        try
        {
            await node.WaitForErrorTextAsync("Pipeline slow progress", TimeSpan.FromSeconds(30));
            await Task.Delay(2000);
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>Returns the count of elements that a cut-short drain reported as left in lookups.</summary>
    private static long ElementsInLookups(string log)
    {
        var match = System.Text.RegularExpressions.Regex.Match(log, @"; (\d+) element\(s\) in lookups");
        Assert.True(match.Success, log);
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
