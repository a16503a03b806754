using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>Disposing a join closes its connection pool and cancels the lookups in flight.</summary>
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
}
