using Connector.Actors.Lookup;
using Connector.Actors.Schema;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Connector.Actors.Tests.Lookup;

/// <summary>The PARTIAL lookup cache: hits, shared in-flight requests, failures and expiry.</summary>
public sealed class LookupCacheTests : LookupTestBase
{
    private Dictionary<string, string> Options()
    {
        var options = BaseOptions();
        options["lookup.cache"] = "PARTIAL";
        options["lookup.max-retries"] = "0";
        return options;
    }

    private void RespondWith(int status, string body, int delayMilliseconds = 0)
    {
        var response = Response.Create().WithStatusCode(status).WithBody(body);
        if (delayMilliseconds > 0)
        {
            response = response.WithDelay(delayMilliseconds);
        }

        Server.Given(Request.Create().UsingGet()).RespondWith(response);
    }

    [Fact]
    public async Task Cache_OneRequestPerDistinctKey()
    {
        RespondWith(200, """{"msg":"cached"}""");
        var ids = new[] { "a", "b", "a", "c", "a", "b", "c", "c", "a", "b" };

        var output = await LookupAsync(Options(), ids);

        Assert.Equal(ids, output.Select(row => row["id"]));
        Assert.All(output, row => Assert.Equal("cached", LookupRow(row)["msg"]));
        Assert.Equal(3, Requests.Count);
        Assert.Equal(["?id=a", "?id=b", "?id=c"], Requests.Select(r => r.RequestMessage.RawQuery).Order());
    }

    [Fact]
    public async Task Cache_NestedKeysComparedByContent()
    {
        Server.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"cached"}"""));
        var options = Options();
        options["lookup-method"] = "POST";
        options["columns"] = "id STRING, addr ROW<city STRING, tags ARRAY<STRING>>, raw BYTES, msg STRING";
        var source = TypeParser.ParseColumns("id STRING, addr ROW<city STRING, tags ARRAY<STRING>>, raw BYTES");
        var addressType = source[1].Type.RowType!;

        // Each element gets new row, array and byte objects, so only a comparison by content finds equal keys.
        Row Element(string city) => SourceRow(source, "1", new Row(addressType, [city, new object?[] { "a", "b" }]), new byte[] { 1, 2 });
        var join = new LookupJoinSpec("c", [new("id", "id"), new("addr", "addr"), new("raw", "raw")]);

        var output = await RunAsync(options, source, [Element("Paris"), Element("Paris"), Element("Lyon"), Element("Paris")], join);

        Assert.Equal(4, output.Count);
        Assert.Equal(2, Requests.Count);
    }

    [Fact]
    public async Task InFlight_SameKeyShared()
    {
        RespondWith(200, """{"msg":"slow"}""", delayMilliseconds: 300);
        var ids = Enumerable.Repeat("same", 20).ToArray();
        var join = LookupJoin.Create(CreateSettings(Options()), IdJoin, IdSource);

        var output = await RunAsync(join, ids.Select(id => SourceRow(IdSource, id)));

        Assert.Equal(20, output.Count);
        Assert.Single(Requests);
        Assert.Equal(1, join.Metrics.Requests);
        join.Dispose();
    }

    [Fact]
    public async Task Failure_NotCached()
    {
        Server.Given(Request.Create().UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("down"));
        Server.Given(Request.Create().UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"msg":"up"}"""));
        var options = Options();
        options["columns"] = "id STRING, msg STRING, state STRING METADATA FROM 'http-completion-state'";
        options["http.source.lookup.continue-on-error"] = "true";

        // One request at a time, so the second row starts after the first lookup has finished.
        options["http.source.lookup.request.thread-pool.size"] = "1";

        var output = await LookupAsync(options, "1", "1", "1");

        Assert.Equal(2, Requests.Count);
        Assert.Equal(
            [CompletionState.HttpErrorStatus, CompletionState.Success, CompletionState.Success],
            output.Select(row => LookupRow(row)["state"]));
        Assert.Equal([null, "up", "up"], output.Select(row => LookupRow(row)["msg"]));
    }

    [Fact]
    public async Task MissingKey_CachedByDefault()
    {
        RespondWith(200, string.Empty);
        var options = Options();
        options["http.source.lookup.request.thread-pool.size"] = "1";

        var output = await LookupAsync(options, "1", "1");

        Assert.Empty(output);
        Assert.Single(Requests);
    }

    [Fact]
    public async Task MissingKey_NotCachedWhenDisabled()
    {
        RespondWith(200, string.Empty);
        var options = Options();
        options["lookup.partial-cache.cache-missing-key"] = "false";
        options["http.source.lookup.request.thread-pool.size"] = "1";

        var output = await LookupAsync(options, "1", "1");

        Assert.Empty(output);
        Assert.Equal(2, Requests.Count);
    }

    [Fact]
    public async Task ExpireAfterWrite_RequestsAgain()
    {
        RespondWith(200, """{"msg":"fresh"}""");
        var options = Options();
        options["lookup.partial-cache.expire-after-write"] = "1min";
        var clock = new FakeTimeProvider();
        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource, new LookupJoinOptions { TimeProvider = clock });
        Row[] rows = [SourceRow(IdSource, "1")];

        await RunAsync(join, rows);
        clock.Advance(TimeSpan.FromSeconds(59));
        var beforeExpiry = await RunAsync(join, rows);
        var requestsBeforeExpiry = Requests.Count;
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterExpiry = await RunAsync(join, rows);

        Assert.Equal(1, requestsBeforeExpiry);
        Assert.Equal(2, Requests.Count);
        Assert.Equal("fresh", LookupRow(Assert.Single(beforeExpiry))["msg"]);
        Assert.Equal("fresh", LookupRow(Assert.Single(afterExpiry))["msg"]);
        Assert.Equal(1, join.Metrics.CacheHits);
        Assert.Equal(2, join.Metrics.CacheMisses);
    }

    [Fact]
    public async Task ExpireAfterAccess_ReadKeepsEntry()
    {
        RespondWith(200, """{"msg":"fresh"}""");
        var options = Options();
        options["lookup.partial-cache.expire-after-access"] = "1min";
        var clock = new FakeTimeProvider();
        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource, new LookupJoinOptions { TimeProvider = clock });

        await RunAsync(join, [SourceRow(IdSource, "read"), SourceRow(IdSource, "unread")]);
        clock.Advance(TimeSpan.FromSeconds(40));
        await RunAsync(join, [SourceRow(IdSource, "read")]);
        clock.Advance(TimeSpan.FromSeconds(40));
        var output = await RunAsync(join, [SourceRow(IdSource, "read"), SourceRow(IdSource, "unread")]);

        // 80 s after both were written: "read" was last read 40 s ago, and "unread" was never read.
        Assert.Equal(["fresh", "fresh"], output.Select(row => LookupRow(row)["msg"]));
        Assert.Equal(["?id=read", "?id=unread", "?id=unread"], Requests.Select(r => r.RequestMessage.RawQuery).Order());
        Assert.Equal(2, join.Metrics.CacheHits);
        Assert.Equal(3, join.Metrics.CacheMisses);
    }

    [Fact]
    public async Task MaxRows_EvictsEarlyKeys()
    {
        RespondWith(200, """{"msg":"found"}""");
        var options = Options();
        options["lookup.partial-cache.max-rows"] = "3";

        // One request at a time, so each key is cached before the next lookup starts.
        options["http.source.lookup.request.thread-pool.size"] = "1";
        using var join = LookupJoin.Create(CreateSettings(options), IdJoin, IdSource);

        await RunAsync(join, new[] { "1", "2", "3", "4", "5" }.Select(id => SourceRow(IdSource, id)));
        var requestsBefore = Requests.Count;
        var output = await RunAsync(join, [SourceRow(IdSource, "1")]);

        Assert.Equal(5, requestsBefore);
        Assert.Equal("found", LookupRow(Assert.Single(output))["msg"]);
        Assert.Equal(6, Requests.Count);
        Assert.Equal("?id=1", Requests[^1].RequestMessage.RawQuery);
        Assert.Equal(6, join.Metrics.CacheMisses);
    }
}
