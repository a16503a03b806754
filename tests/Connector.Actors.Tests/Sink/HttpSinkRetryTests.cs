using System.Collections.Concurrent;
using System.Text.Json;
using Connector.Actors.Options;
using Connector.Actors.Sink;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests of retries and of the on-failure policies after retries run out.</summary>
public sealed class HttpSinkRetryTests : IClassFixture<ActorSystemFixture>, IDisposable
{
    private readonly ActorSystemFixture _actors;
    private readonly WireMockServer _server;

    public HttpSinkRetryTests(ActorSystemFixture actors)
    {
        _actors = actors;
        _server = WireMockServer.Start();
    }

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task RetryCode_ThenSuccessDeliversOnce()
    {
        _server.Given(Request.Create().WithPath("/orders"))
            .InScenario("flaky")
            .WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Request.Create().WithPath("/orders"))
            .InScenario("flaky")
            .WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200));
        using var sink = CreateSink(BaseOptions(UrlOf(_server)));

        var result = await Run(sink, Orders(5), _actors.Materializer);

        var entries = _server.LogEntries.OrderBy(entry => entry.RequestMessage.DateTime).ToArray();
        Assert.Equal(2, entries.Length);
        Assert.Equal(503, entries[0].ResponseMessage.StatusCode);
        Assert.Equal(200, entries[1].ResponseMessage.StatusCode);
        Assert.Equal([1L, 2, 3, 4, 5], Ids(entries[1].RequestMessage.Body!));
        Assert.Equal(5, result.Delivered);
        Assert.Equal(5, result.Retried);
        Assert.Equal(2, result.Requests);
        Assert.Equal(0, result.Failed);
    }

    [Fact]
    public async Task RetryAfter_OverridesFixedDelay()
    {
        _server.Given(Request.Create().WithPath("/orders"))
            .InScenario("throttled")
            .WillSetStateTo("open")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _server.Given(Request.Create().WithPath("/orders"))
            .InScenario("throttled")
            .WhenStateIs("open")
            .RespondWith(Response.Create().WithStatusCode(200));
        using var sink = CreateSink(BaseOptions(UrlOf(_server)));

        var result = await Run(sink, Orders(3), _actors.Materializer);

        var times = _server.LogEntries.Select(entry => entry.RequestMessage.DateTime).Order().ToArray();
        Assert.Equal(2, times.Length);
        Assert.True(
            times[1] - times[0] >= TimeSpan.FromMilliseconds(950),
            $"the retry came {(times[1] - times[0]).TotalMilliseconds:0} ms after the 429, expected about 1000 ms from Retry-After");
        Assert.Equal(3, result.Delivered);
        Assert.Equal(3, result.Retried);
    }

    [Fact]
    public async Task RetriesExhausted_FailStopsSink()
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(500));
        using var sink = CreateSink(PermanentFailureOptions("fail"));

        var exception = await RunFailing(sink, Orders(5), _actors.Materializer);

        Assert.Equal(3, _server.LogEntries.Count());
        Assert.Equal(500, exception.StatusCode);
        Assert.Contains("3 attempt(s)", exception.Message, StringComparison.Ordinal);
        Assert.Equal(5, exception.Result!.Failed);
        Assert.Equal(5, exception.Result.Retried);
        Assert.Equal(0, exception.Result.Delivered);
    }

    [Fact]
    public async Task RetriesExhausted_DeadLetterWritesRows()
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(500));
        var path = DeadLetterPath();
        var options = PermanentFailureOptions("dead-letter");
        options[SinkOptions.DeadLetterPath] = path;
        var start = DateTimeOffset.UtcNow;
        SinkResult result;
        using (var sink = CreateSink(options))
        {
            result = await Run(sink, Orders(5), _actors.Materializer);
        }

        Assert.Equal(3, _server.LogEntries.Count());
        Assert.Equal(5, result.DeadLettered);
        Assert.Equal(0, result.Failed);
        var lines = ReadDeadLetters(path);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line =>
        {
            Assert.Contains("500", line.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(500, line.GetProperty("status").GetInt32());
            Assert.Equal(3, line.GetProperty("attempts").GetInt32());
            var time = line.GetProperty("time").GetDateTimeOffset();
            Assert.InRange(time, start, DateTimeOffset.UtcNow);
        });
        var rows = lines.Select(line => line.GetProperty("row").GetRawText()).ToArray();
        Assert.Equal(Orders(5).Select(row => row.ToString()), rows);
    }

    [Fact]
    public async Task RetriesExhausted_DropCountsRows()
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(500));
        using var sink = CreateSink(PermanentFailureOptions("drop"));

        var result = await Run(sink, Orders(5), _actors.Materializer);

        Assert.Equal(3, _server.LogEntries.Count());
        Assert.Equal(5, result.Dropped);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.Delivered);
        Assert.Equal(1, sink.Counters.FailedRequests);
    }

    [Fact]
    public async Task ConnectionRefused_DeadLettered()
    {
        var path = DeadLetterPath();
        var options = BaseOptions($"http://127.0.0.1:{ClosedPort()}/orders");
        options[SinkOptions.MaxRetries] = "2";
        options[SinkOptions.OnFailure] = "dead-letter";
        options[SinkOptions.DeadLetterPath] = path;
        SinkResult result;
        using (var sink = CreateSink(options))
        {
            result = await Run(sink, Orders(3), _actors.Materializer);
        }

        Assert.Equal(3, result.DeadLettered);
        Assert.Equal(3, result.Requests);
        var lines = ReadDeadLetters(path);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line =>
        {
            Assert.Contains("no response", line.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, line.GetProperty("status").ValueKind);
            Assert.Equal(3, line.GetProperty("attempts").GetInt32());
        });
    }

    [Fact]
    public async Task ConnectionReset_RetriedThenDelivered()
    {
        await using var server = new ResettingServer(connection => connection == 0);
        var options = BaseOptions(server.Url);
        options[SinkOptions.MaxRetries] = "2";
        using var sink = CreateSink(options);

        var result = await Run(sink, Orders(4), _actors.Materializer);

        Assert.Equal(4, result.Delivered);
        Assert.Equal(4, result.Retried);
        Assert.Equal(2, result.Requests);
        var body = Assert.Single(server.AcceptedBodies);
        Assert.Equal([1L, 2, 3, 4], Ids(body));
    }

    [Fact]
    public async Task ConnectionReset_AlwaysDeadLettered()
    {
        await using var server = new ResettingServer(_ => true);
        var path = DeadLetterPath();
        var options = BaseOptions(server.Url);
        options[SinkOptions.MaxRetries] = "1";
        options[SinkOptions.OnFailure] = "dead-letter";
        options[SinkOptions.DeadLetterPath] = path;
        SinkResult result;
        using (var sink = CreateSink(options))
        {
            result = await Run(sink, Orders(3), _actors.Materializer);
        }

        Assert.Equal(3, result.DeadLettered);
        Assert.Equal(2, server.Connections);
        Assert.Empty(server.AcceptedBodies);
        var lines = ReadDeadLetters(path);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line =>
        {
            Assert.Contains("no response", line.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(2, line.GetProperty("attempts").GetInt32());
        });
    }

    [Fact]
    public async Task SlowServer_TimeoutRetriedThenDropped()
    {
        _server.Given(Request.Create().WithPath("/orders"))
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(1)));
        var outcomes = new ConcurrentQueue<SinkRequestOutcome>();
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.RequestTimeout] = "200ms";
        options[SinkOptions.MaxRetries] = "1";
        options[SinkOptions.OnFailure] = "drop";
        using var sink = CreateSink(options, outcomes.Enqueue);

        var result = await Run(sink, Orders(3), _actors.Materializer);

        Assert.Equal(3, result.Dropped);
        Assert.Equal(0, result.Delivered);
        Assert.Equal(3, result.Retried);
        Assert.Equal(2, result.Requests);
        var outcome = Assert.Single(outcomes);
        Assert.Null(outcome.StatusCode);
        Assert.Equal(2, outcome.Attempts);
        Assert.False(outcome.Succeeded);
        Assert.Contains("timed out after 200 ms", outcome.Error, StringComparison.Ordinal);
    }

    private Dictionary<string, string> PermanentFailureOptions(string onFailure)
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.MaxRetries] = "2";
        options[SinkOptions.OnFailure] = onFailure;
        return options;
    }
}
