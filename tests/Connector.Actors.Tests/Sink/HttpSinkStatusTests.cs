using Connector.Actors.Options;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests of how the sink classifies response status codes.</summary>
public sealed class HttpSinkStatusTests : IClassFixture<ActorSystemFixture>, IDisposable
{
    private readonly ActorSystemFixture _actors;
    private readonly WireMockServer _server;

    public HttpSinkStatusTests(ActorSystemFixture actors)
    {
        _actors = actors;
        _server = WireMockServer.Start();
    }

    public void Dispose() => _server.Stop();

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(501)]
    public async Task DefaultCodes_ErrorFailsSink(int status)
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(status).WithBody("no such table"));
        var url = UrlOf(_server);
        using var sink = CreateSink(BaseOptions(url));

        var exception = await RunFailing(sink, Orders(5), _actors.Materializer);

        Assert.Contains(url, exception.Message, StringComparison.Ordinal);
        Assert.Contains($"status {status}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("5 row(s)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("no such table", exception.Message, StringComparison.Ordinal);
        Assert.Equal(status, exception.StatusCode);
        Assert.Equal(5, exception.RowCount);
        Assert.NotNull(exception.Result);
        Assert.Equal(5, exception.Result.Received);
        Assert.Equal(5, exception.Result.Failed);
        Assert.Equal(0, exception.Result.Delivered);
        Assert.Single(_server.LogEntries);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    public async Task RedirectToGet_FailsSink(int status)
    {
        var moved = $"http://127.0.0.1:{_server.Port}/moved";
        _server.Given(Request.Create().WithPath("/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", moved));
        _server.Given(Request.Create().WithPath("/moved")).RespondWith(Response.Create().WithStatusCode(200));
        var url = UrlOf(_server);
        using var sink = CreateSink(BaseOptions(url));

        var exception = await RunFailing(sink, Orders(3), _actors.Materializer);

        Assert.Contains($"POST {url} was redirected to {moved}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("as GET without the request body", exception.Message, StringComparison.Ordinal);
        Assert.Contains("307 or 308", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, exception.Result!.Delivered);
        Assert.Equal(3, exception.Result.Failed);

        // The redirect is not retried: one POST and the GET that the client followed it with.
        Assert.Equal(2, _server.LogEntries.Count());
    }

    [Fact]
    public async Task RedirectToGetThatFails_NotRetried()
    {
        // Nothing listens on the redirect target, so the GET that the client follows the redirect with is refused.
        var target = $"http://127.0.0.1:{ClosedPort()}/closed";
        _server.Given(Request.Create().WithPath("/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", target));
        var url = UrlOf(_server);
        using var sink = CreateSink(BaseOptions(url));

        var exception = await RunFailing(sink, Orders(2), _actors.Materializer);

        Assert.Contains($"POST {url} was redirected to {target}", exception.Message, StringComparison.Ordinal);
        Assert.Contains("that request failed: ", exception.Message, StringComparison.Ordinal);
        Assert.Equal(1, sink.Metrics.Requests);
        Assert.Single(_server.LogEntries);
    }

    [Fact]
    public async Task SuccessWithCutOffBody_Delivered()
    {
        // The server promises 100 bytes of body, sends 2 and closes the connection.
        using var server = Connector.Actors.Tests.Http.RawHttpServer.Start("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nok"u8.ToArray());
        var options = BaseOptions($"http://127.0.0.1:{server.Port}/orders");
        options[SinkOptions.MaxRetries] = "3";
        using var sink = CreateSink(options);

        var result = await Run(sink, Orders(3), _actors.Materializer);

        Assert.Equal(3, result.Delivered);
        Assert.Equal(0, result.Retried);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task RedirectNotFollowed_FailsSink()
    {
        // A redirect to itself is followed 50 times, and the last 307 comes back to the sink.
        var url = UrlOf(_server);
        _server.Given(Request.Create().WithPath("/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(307).WithHeader("Location", url));
        using var sink = CreateSink(BaseOptions(url));

        var exception = await RunFailing(sink, Orders(2), _actors.Materializer);

        Assert.Contains("returned status 307, a redirect that was not followed", exception.Message, StringComparison.Ordinal);
        Assert.Equal(307, exception.StatusCode);
        Assert.Equal(0, exception.Result!.Delivered);
        Assert.Equal(2, exception.Result.Failed);
    }

    [Fact]
    public async Task RedirectWithoutLocation_FailsSink()
    {
        _server.Given(Request.Create().WithPath("/orders").UsingPost()).RespondWith(Response.Create().WithStatusCode(302));
        using var sink = CreateSink(BaseOptions(UrlOf(_server)));

        var exception = await RunFailing(sink, Orders(2), _actors.Materializer);

        Assert.Contains("returned status 302, a redirect that was not followed", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, exception.Result!.Delivered);
        Assert.Single(_server.LogEntries);
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task RedirectKeepingMethod_Delivers(int status)
    {
        var moved = $"http://127.0.0.1:{_server.Port}/moved";
        _server.Given(Request.Create().WithPath("/orders").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", moved));
        _server.Given(Request.Create().WithPath("/moved").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        using var sink = CreateSink(BaseOptions(UrlOf(_server)));

        var result = await Run(sink, Orders(3), _actors.Materializer);

        Assert.Equal(3, result.Delivered);
        var delivered = Assert.Single(_server.LogEntries, e => e.RequestMessage.Path == "/moved");
        Assert.Equal("POST", delivered.RequestMessage.Method);
        Assert.Equal([1L, 2L, 3L], Ids(delivered.RequestMessage.Body!));
    }

    [Fact]
    public async Task Fail_ResultIncludesInflightRequests()
    {
        // The request with id 1 fails at once while the other three are still waiting for their responses.
        var acceptedRows = 0;
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithCallback(async request =>
        {
            var ids = Ids(request.Body!);
            if (ids.Contains(1))
            {
                return new ResponseMessage { StatusCode = 400 };
            }

            await Task.Delay(300);
            Interlocked.Add(ref acceptedRows, ids.Length);
            return (IResponseMessage)new ResponseMessage { StatusCode = 200 };
        }));
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.RequestBatchSize] = "2";
        options[SinkOptions.MaxInflight] = "4";
        using var sink = CreateSink(options);

        var exception = await RunFailing(sink, Orders(8), _actors.Materializer);
        var acceptedWhenFaulted = Volatile.Read(ref acceptedRows);
        await WaitForLogEntries(4, TimeSpan.FromSeconds(5));

        Assert.Equal(400, exception.StatusCode);
        Assert.Equal(6, Volatile.Read(ref acceptedRows));
        Assert.Equal(6, acceptedWhenFaulted);
        Assert.Equal(6, exception.Result!.Delivered);
        Assert.Equal(8 - exception.Result.Delivered, exception.Result.Failed);
        Assert.Equal(sink.Counters.Delivered, exception.Result.Delivered);
    }

    [Fact]
    public async Task ExcludedCode_CountsAsDelivered()
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(404));
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.ErrorCode] = "4XX";
        options[SinkOptions.ErrorCodeExclude] = "404,405";
        using var sink = CreateSink(options);

        var result = await Run(sink, Orders(5), _actors.Materializer);

        Assert.Equal(5, result.Delivered);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, sink.Counters.FailedRequests);
    }

    [Fact]
    public async Task ExplicitCodes_ListedCodeFails()
    {
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithStatusCode(403));
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.ErrorCode] = "4XX";
        options[SinkOptions.ErrorCodeExclude] = "404,405";
        using var sink = CreateSink(options);

        var exception = await RunFailing(sink, Orders(5), _actors.Materializer);

        Assert.Equal(403, exception.StatusCode);
        Assert.Equal(5, exception.Result!.Failed);
    }

    [Theory]
    [InlineData("6XX")]
    [InlineData("1X1")]
    public void ErrorCode_InvalidRejected(string errorCode)
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.ErrorCode] = errorCode;

        var exception = Assert.Throws<ConfigurationException>(() => Settings(options));

        var problem = Assert.Single(exception.Problems);
        Assert.Equal(SinkOptions.ErrorCode, problem.Option);
        Assert.Contains($"'{errorCode}'", problem.Message, StringComparison.Ordinal);
    }

    private async Task WaitForLogEntries(int count, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (_server.LogEntries.Count() < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
