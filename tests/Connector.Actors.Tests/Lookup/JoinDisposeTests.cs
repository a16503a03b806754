using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Disposing a join, or cancelling its requests, cancels the lookups in flight and fails later ones.</summary>
public sealed class JoinDisposeTests : LookupTestBase
{
    [Fact]
    public async Task Dispose_CancelsLookupsInFlight()
    {
        Server.Given(Request.Create().UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"late"}""").WithDelay(6_000));
        var options = BaseOptions();
        options["lookup.max-retries"] = "0";
        var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource);
        var run = Source.From(new[] { SourceRow(IdSource, "1"), SourceRow(IdSource, "2") })
            .Via(join.Flow)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), Sys.Materializer());
        await Task.Delay(500);
        Assert.False(run.IsCompleted);

        var stopwatch = Stopwatch.StartNew();
        join.Dispose();
        var failure = await Assert.ThrowsAsync<LookupFailedException>(() => run.WaitAsync(StreamTimeout));
        stopwatch.Stop();

        Assert.Contains("its table stopped sending", failure.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"the lookup failed {stopwatch.Elapsed.TotalSeconds:0.0} s after the join was disposed");
    }

    [Fact]
    public async Task Dispose_FailsLaterLookupsAtOnce()
    {
        Server.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"ok"}"""));
        var options = BaseOptions();
        options["lookup.max-retries"] = "0";
        var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource);
        join.Dispose();

        var failure = await Assert.ThrowsAsync<LookupFailedException>(() => RunAsync(join, [SourceRow(IdSource, "1")]));

        Assert.Contains("its table stopped sending", failure.Message);
        Assert.Empty(Requests);
    }

    [Fact]
    public async Task CancelRequests_StopsRetries()
    {
        // Every lookup fails with a retryable status and is retried every 10 ms, far beyond the test's length.
        Server.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(500));
        var options = BaseOptions();
        options["lookup.max-retries"] = "100000";
        options["http.source.lookup.request.thread-pool.size"] = "4";
        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource);
        var rows = Enumerable.Range(1, 8).Select(i => SourceRow(IdSource, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var run = Source.From(rows).Via(join.Flow).RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), Sys.Materializer());
        await Task.Delay(500);
        Assert.NotEmpty(Requests);

        join.CancelRequests();
        var failure = await Assert.ThrowsAsync<LookupFailedException>(() => run.WaitAsync(StreamTimeout));

        Assert.Contains("its table stopped sending", failure.Message);

        // A request already on its way when the lookups were cancelled may still arrive, but no retry starts later.
        await Task.Delay(200);
        var afterFailure = Requests.Count;
        await Task.Delay(500);
        Assert.Equal(afterFailure, Requests.Count);
    }
}
