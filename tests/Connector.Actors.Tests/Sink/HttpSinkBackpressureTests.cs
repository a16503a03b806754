using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests that a stalled endpoint stops the sink from pulling more rows than its buffers hold.</summary>
public sealed class HttpSinkBackpressureTests : IClassFixture<ActorSystemFixture>, IDisposable
{
    // The sink's own buffers contain at most 130 rows: max-buffered 100, a 10-row group being filled, a 10-row flush
    // being cut into requests and one 10-row request in flight. The rest of the bound is for the stream stages.
    private const long MaxPulledRows = 400;

    private readonly ActorSystemFixture _actors;
    private readonly WireMockServer _server;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    public HttpSinkBackpressureTests(ActorSystemFixture actors)
    {
        _actors = actors;
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithCallback(RespondWhenReleased));
    }

    public void Dispose()
    {
        _release.TrySetResult();
        _server.Stop();
    }

    [Fact]
    public async Task StalledEndpoint_BoundsPulledRows()
    {
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.MaxBuffered] = "100";
        options[SinkOptions.MaxInflight] = "1";
        options[SinkOptions.BatchMaxSize] = "10";
        options[SinkOptions.RequestTimeout] = "60s";
        using var sink = CreateSink(options);
        long pulled = 0;
        var (killSwitch, completion) = Source.From(Enumerable.Range(1, int.MaxValue))
            .Select(i =>
            {
                Interlocked.Increment(ref pulled);
                return Order(i, "a");
            })
            .ViaMaterialized(KillSwitches.Single<Row>(), Keep.Right)
            .ToMaterialized(sink.Sink, Keep.Both)
            .Run(_actors.Materializer);

        // Wait until the first request is stalled at the server and the pulled count stops growing.
        var stable = await WaitForStableCount(() => Interlocked.Read(ref pulled), TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        var pulledWhileStalled = Interlocked.Read(ref pulled);

        Assert.True(stable, $"the source was still being pulled after 10 s: {pulledWhileStalled} rows");
        Assert.Equal(1, Volatile.Read(ref _requests));
        Assert.InRange(pulledWhileStalled, 100, MaxPulledRows);

        killSwitch.Shutdown();
        _release.SetResult();
        var result = await completion.WaitAsync(RunTimeout);

        Assert.Equal(Interlocked.Read(ref pulled), result.Received);
        Assert.Equal(result.Received, result.Delivered);
    }

    // Returns true once the value has not changed for the quiet period, or false when the limit passes first.
    private async Task<bool> WaitForStableCount(Func<long> read, TimeSpan quietPeriod, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var last = read();
        var lastChange = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            var current = read();
            if (current != last)
            {
                last = current;
                lastChange = DateTime.UtcNow;
            }
            else if (Volatile.Read(ref _requests) > 0 && DateTime.UtcNow - lastChange >= quietPeriod)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<IResponseMessage> RespondWhenReleased(IRequestMessage request)
    {
        Interlocked.Increment(ref _requests);
        await _release.Task;
        return new ResponseMessage { StatusCode = 200 };
    }
}
