using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// Base of the lookup join tests: an actor system from the Akka TestKit and a WireMock server bound to 127.0.0.1
/// on a free port, both disposed after each test.
/// </summary>
public abstract class LookupTestBase : TestKit
{
    /// <summary>The name of every test table.</summary>
    protected const string TableName = "customers";

    /// <summary>How long a stream may run before the test fails instead of hanging.</summary>
    protected static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The upstream columns of most tests: one key column.</summary>
    protected static readonly RowType IdSource = TypeParser.ParseColumns("id STRING");

    /// <summary>The join of most tests: inner join on id, lookup row under alias c.</summary>
    protected static readonly LookupJoinSpec IdJoin = new("c", [new("id", "id")], JoinType.Inner);

    protected LookupTestBase()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    }

    protected WireMockServer Server { get; }

    protected string BaseUrl => $"http://127.0.0.1:{Server.Port}";

    /// <summary>The requests the server received, oldest first.</summary>
    protected IReadOnlyList<ILogEntry> Requests => Server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).ToList();

    /// <summary>
    /// Returns the options of a lookup table at <c>/customers</c> with columns <c>id STRING, msg STRING</c> and a
    /// 10 ms fixed retry delay, so that retries do not slow the tests down.
    /// </summary>
    protected Dictionary<string, string> BaseOptions(string path = "/customers") => new()
    {
        ["connector"] = "rest-lookup",
        ["format"] = "json",
        ["url"] = BaseUrl + path,
        ["columns"] = "id STRING, msg STRING",
        ["http.source.lookup.retry-strategy.fixed-delay.delay"] = "10ms",
    };

    protected static LookupSettings CreateSettings(Dictionary<string, string> options) =>
        LookupSettings.Create(TableOptions.FromDictionary(TableName, options));

    protected static Row SourceRow(RowType type, params object?[] values) => new(type, values);

    /// <summary>Returns the lookup row that the join put under alias c.</summary>
    protected static Row LookupRow(Row output) => Assert.IsType<Row>(output["c"]);

    /// <summary>Runs rows of <see cref="IdSource"/> with the given ids through an inner join on id.</summary>
    protected Task<IReadOnlyList<Row>> LookupAsync(Dictionary<string, string> options, params string?[] ids) =>
        RunAsync(options, IdSource, ids.Select(id => SourceRow(IdSource, id)), IdJoin);

    protected async Task<IReadOnlyList<Row>> RunAsync(
        Dictionary<string, string> options,
        RowType sourceType,
        IEnumerable<Row> rows,
        LookupJoinSpec spec,
        LookupJoinOptions? joinOptions = null)
    {
        using var join = LookupJoin.Create(CreateSettings(options), spec, sourceType, joinOptions);
        return await RunAsync(join, rows);
    }

    /// <summary>Materializes the join's flow once over the rows and collects its output.</summary>
    protected async Task<IReadOnlyList<Row>> RunAsync(LookupJoin join, IEnumerable<Row> rows)
    {
        var materializer = Sys.Materializer();
        return await Source.From(rows.ToList())
            .Via(join.Flow)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), materializer)
            .WaitAsync(StreamTimeout);
    }

    /// <summary>Runs a lookup of one id that must fail the stream, and returns the failure.</summary>
    protected async Task<LookupFailedException> LookupFailureAsync(Dictionary<string, string> options, string id = "1") =>
        await Assert.ThrowsAsync<LookupFailedException>(() => LookupAsync(options, id));

    /// <summary>Returns a loopback port on which nothing listens, so connections to it are refused.</summary>
    protected static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Server.Stop();
            Server.Dispose();
        }

        base.Dispose(disposing);
    }
}
