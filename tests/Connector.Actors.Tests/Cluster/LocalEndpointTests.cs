using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Actors.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class LocalEndpointTests : IDisposable
{
    private static readonly RowType Orders = TypeParser.ParseColumns("id STRING");

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly ActorSystem _system = ActorSystem.Create("local-endpoint-test", "akka.loglevel = WARNING");

    public void Dispose()
    {
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
        _server.Stop();
        _server.Dispose();
    }

    /// <summary>Answers POST /orders with 200 and records when each request arrived, measured from this call.</summary>
    private System.Collections.Concurrent.ConcurrentQueue<TimeSpan> RecordRequestTimes()
    {
        var sent = new System.Collections.Concurrent.ConcurrentQueue<TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
        {
            sent.Enqueue(clock.Elapsed);
            return new WireMock.ResponseMessage { StatusCode = 200 };
        }));
        return sent;
    }

    private SinkSettings RateLimitedSinkSettings(string requestsPerSecond, string burst) =>
        SinkSettings.Create(TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/orders",
            ["http.sink.writer.request.mode"] = "single",
            ["http.rate-limit.requests-per-second"] = requestsPerSecond,
            ["http.rate-limit.burst"] = burst,
        }));

    [Fact]
    public async Task RateLimit_LocalSystem_HoldsRate()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/orders",
            ["http.sink.writer.request.mode"] = "single",
            ["http.rate-limit.requests-per-second"] = "40",
            ["http.rate-limit.burst"] = "4",
        }));
        using var sink = HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = _system });

        var started = DateTime.UtcNow;
        var result = await Source.From(Enumerable.Range(0, 84)).Select(i => new Row(Orders, [i.ToString()]))
            .RunWith(sink.Sink, _system.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));
        var elapsed = DateTime.UtcNow - started;

        Assert.Equal(84, result.Delivered);
        Assert.Equal(84, _server.LogEntries.Count());

        // 80 requests beyond the burst at 40 per second take 2 s. The upper bound leaves room for a loaded machine,
        // where one run of the whole suite took 4.5 s, and still fails a limiter that grants under a quarter of the rate.
        Assert.InRange(elapsed.TotalSeconds, 1.8, 8);
    }

    [Fact]
    public async Task RateLimit_NewNode_SendsBurstAtOnce()
    {
        // At 0.25 requests per second a bucket that starts empty holds its first permit only after 4 s.
        var sent = RecordRequestTimes();
        var settings = RateLimitedSinkSettings(requestsPerSecond: "0.25", burst: "3");
        using var sink = HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = _system });

        var result = await Source.From(Enumerable.Range(0, 3)).Select(i => new Row(Orders, [i.ToString()]))
            .RunWith(sink.Sink, _system.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, result.Delivered);
        var times = sent.Order().ToArray();
        Assert.Equal(3, times.Length);
        Assert.True(times[0] < TimeSpan.FromSeconds(2.5), $"the first request went out {times[0].TotalMilliseconds:0} ms after the start");
        Assert.True(times[2] - times[0] < TimeSpan.FromSeconds(1), $"the burst of 3 took {(times[2] - times[0]).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task RateLimit_AfterBurst_HoldsRate()
    {
        var sent = RecordRequestTimes();
        var settings = RateLimitedSinkSettings(requestsPerSecond: "20", burst: "5");
        using var sink = HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = _system });

        var result = await Source.From(Enumerable.Range(0, 85)).Select(i => new Row(Orders, [i.ToString()]))
            .RunWith(sink.Sink, _system.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(85, result.Delivered);
        var times = sent.Order().ToArray();
        Assert.Equal(85, times.Length);
        var timeline = string.Join(" ", times.Select(t => (t - times[0]).TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));

        // The burst of 5 goes out at once, and the other 80 requests follow at the limit, which takes 4 s.
        Assert.True(times[4] - times[0] < TimeSpan.FromSeconds(0.5), $"the burst of 5 took {(times[4] - times[0]).TotalMilliseconds:0} ms: {timeline}");
        var steadyRate = 80 / (times[84] - times[4]).TotalSeconds;
        Assert.True(steadyRate is > 15 and < 21, $"after the burst, requests went out at {steadyRate:0.0} per second: {timeline}");
    }

    [Fact]
    public async Task CircuitBreaker_FailureRun_PausesThenProbes()
    {
        var calls = 0;
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
            new WireMock.ResponseMessage { StatusCode = Interlocked.Increment(ref calls) <= 3 ? 500 : 200 }));
        var settings = SinkSettings.Create(TableOptions.FromDictionary("orders", new Dictionary<string, string>
        {
            ["url"] = _server.Url + "/orders",
            ["http.sink.writer.request.mode"] = "single",
            ["sink.requests.max-inflight"] = "1",
            ["http.sink.max-retries"] = "5",
            ["http.sink.retry-strategy.fixed-delay.delay"] = "10ms",
            ["http.circuit-breaker.failure-threshold"] = "3",
            ["http.circuit-breaker.open-duration"] = "1500ms",
        }));
        using var sink = HttpSink.Create(settings, new HttpSinkOptions { ActorSystem = _system });

        var result = await Source.From(Enumerable.Range(0, 5)).Select(i => new Row(Orders, [i.ToString()]))
            .RunWith(sink.Sink, _system.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));

        var times = _server.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToArray();
        Assert.Equal(5, result.Delivered);
        Assert.Equal(8, times.Length);

        // The third failure opens the circuit: the retry after it waits for the open duration, not the 10 ms delay.
        Assert.True(times[3] - times[2] >= TimeSpan.FromSeconds(1.3), $"the probe came {(times[3] - times[2]).TotalMilliseconds:0} ms after the third failure");
        Assert.True(times[2] - times[0] < TimeSpan.FromSeconds(1), "the first three attempts were not sent back to back");
    }
}
