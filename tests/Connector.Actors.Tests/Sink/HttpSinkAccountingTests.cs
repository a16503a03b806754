using System.Collections.Concurrent;
using Connector.Actors.Options;
using Connector.Actors.Sink;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests that every row is accounted for exactly once while the endpoint fails at random.</summary>
public sealed class HttpSinkAccountingTests : IClassFixture<ActorSystemFixture>, IDisposable
{
    private const int RowCount = 10_000;

    // Every request that carries this id gets a 503 response, so at least one request runs out of retries.
    private const long PoisonedId = 5_000;

    private readonly ActorSystemFixture _actors;
    private readonly WireMockServer _server;
    private readonly Random _random = new(20210824);
    private readonly object _randomLock = new();
    private readonly ConcurrentDictionary<long, int> _acceptedIds = new();
    private int _requests;
    private int _rejectedRequests;

    public HttpSinkAccountingTests(ActorSystemFixture actors)
    {
        _actors = actors;
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath("/orders")).RespondWith(Response.Create().WithCallback(Respond));
    }

    public void Dispose() => _server.Stop();

    [Fact]
    public async Task RandomFailures_EveryRowSettledOnce()
    {
        var path = DeadLetterPath();
        var options = BaseOptions(UrlOf(_server));
        options[SinkOptions.BatchMaxSize] = "100";
        options[SinkOptions.MaxRetries] = "2";
        options[SinkOptions.RetryStrategyType] = "fixed-delay";
        options[SinkOptions.FixedDelay] = "1ms";
        options[SinkOptions.OnFailure] = "dead-letter";
        options[SinkOptions.DeadLetterPath] = path;
        var rows = Enumerable.Range(1, RowCount).Select(i => Order(i, "a"));
        SinkResult result;
        using (var sink = CreateSink(options))
        {
            result = await Run(sink, rows, _actors.Materializer);
        }

        var deadLetteredIds = ReadDeadLetters(path).Select(line => line.GetProperty("row").GetProperty("id").GetInt64()).ToArray();
        var acceptedIds = _acceptedIds.Keys.ToHashSet();
        var deadLetteredSet = deadLetteredIds.ToHashSet();

        Assert.Equal(RowCount, result.Received);
        Assert.Equal(result.Received, result.Delivered + result.DeadLettered + result.Dropped + result.Failed);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.Dropped);
        Assert.Equal(acceptedIds.Count, result.Delivered);
        Assert.Equal(deadLetteredIds.Length, result.DeadLettered);
        Assert.Equal(deadLetteredIds.Length, deadLetteredSet.Count);
        Assert.DoesNotContain(_acceptedIds, pair => pair.Value != 1);
        Assert.Empty(acceptedIds.Intersect(deadLetteredSet));
        Assert.Equal(Enumerable.Range(1, RowCount).Select(i => (long)i), acceptedIds.Union(deadLetteredSet).Order());
        Assert.Contains(PoisonedId, deadLetteredSet);
        Assert.True(result.Retried > 0, "no request was retried, so the random failures did not happen");
        Assert.True(Volatile.Read(ref _rejectedRequests) > 3, $"only {_rejectedRequests} request(s) got a 503 response");
        Assert.Equal(Volatile.Read(ref _requests), result.Requests);
    }

    private ResponseMessage Respond(IRequestMessage request)
    {
        Interlocked.Increment(ref _requests);
        var ids = Ids(request.Body!);
        bool fails;
        lock (_randomLock)
        {
            fails = _random.NextDouble() < 0.2;
        }

        if (fails || ids.Contains(PoisonedId))
        {
            Interlocked.Increment(ref _rejectedRequests);
            return new ResponseMessage { StatusCode = 503 };
        }

        foreach (var id in ids)
        {
            _acceptedIds.AddOrUpdate(id, 1, (_, count) => count + 1);
        }

        return new ResponseMessage { StatusCode = 200 };
    }
}
