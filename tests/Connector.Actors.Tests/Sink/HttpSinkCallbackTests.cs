using System.Collections.Concurrent;
using Connector.Actors.Options;
using Connector.Actors.Sink;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests of the request callback of <see cref="HttpSinkOptions"/>.</summary>
public sealed class HttpSinkCallbackTests : IClassFixture<ActorSystemFixture>, IDisposable
{
    private readonly ActorSystemFixture _actors;
    private readonly WireMockServer _server;
    private readonly ConcurrentQueue<SinkRequestOutcome> _outcomes = new();

    public HttpSinkCallbackTests(ActorSystemFixture actors)
    {
        _actors = actors;
        _server = WireMockServer.Start();
    }

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task Callback_OncePerRequestWithFinalOutcome()
    {
        // Only the first request gets a 503 response. A WireMock scenario would race, because the two requests run at once.
        var requests = 0;
        _server.Given(Request.Create().WithPath("/orders"))
            .RespondWith(Response.Create().WithCallback(_ => new ResponseMessage
            {
                StatusCode = Interlocked.Increment(ref requests) == 1 ? 503 : 201,
            }));
        var url = UrlOf(_server);
        var options = BaseOptions(url);
        options[SinkOptions.RequestBatchSize] = "3";
        using var sink = CreateSink(options, _outcomes.Enqueue);

        var result = await Run(sink, Orders(6), _actors.Materializer);

        Assert.Equal(3, _server.LogEntries.Count());
        Assert.Equal(2, _outcomes.Count);
        Assert.All(_outcomes, outcome =>
        {
            Assert.Equal("POST", outcome.Method);
            Assert.Equal(url, outcome.Url);
            Assert.Equal(201, outcome.StatusCode);
            Assert.Equal(3, outcome.Rows);
            Assert.True(outcome.Succeeded);
            Assert.Null(outcome.Error);
        });
        Assert.Equal([1, 2], _outcomes.Select(outcome => outcome.Attempts).Order());
        Assert.Equal(6, result.Delivered);
    }

    [Fact]
    public async Task Callback_ReportsConnectionFailure()
    {
        var options = BaseOptions($"http://127.0.0.1:{ClosedPort()}/orders");
        options[SinkOptions.MaxRetries] = "1";
        options[SinkOptions.OnFailure] = "drop";
        using var sink = CreateSink(options, _outcomes.Enqueue);

        var result = await Run(sink, Orders(2), _actors.Materializer);

        var outcome = Assert.Single(_outcomes);
        Assert.Null(outcome.StatusCode);
        Assert.Equal(2, outcome.Rows);
        Assert.Equal(2, outcome.Attempts);
        Assert.False(outcome.Succeeded);
        Assert.Contains("no response", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(2, result.Dropped);
    }

    [Fact]
    public async Task Callback_ReportsErrorStatusBeforeFailing()
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(400));
        using var sink = CreateSink(BaseOptions(UrlOf(_server)), _outcomes.Enqueue);

        await RunFailing(sink, Orders(2), _actors.Materializer);

        var outcome = Assert.Single(_outcomes);
        Assert.Equal(400, outcome.StatusCode);
        Assert.Equal(1, outcome.Attempts);
        Assert.False(outcome.Succeeded);
        Assert.Contains("400", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_ExceptionCountedSinkCompletes()
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(200));
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.RequestBatchSize] = "2";
        using var sink = CreateSink(options, _ => throw new InvalidOperationException("callback failed"));

        var result = await Run(sink, Orders(6), _actors.Materializer);

        Assert.Equal(3, sink.Counters.CallbackErrors);
        Assert.Equal(6, result.Delivered);
        Assert.Equal(0, result.Failed);
    }
}
