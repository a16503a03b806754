using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// Options and runners for the connector-level proxy and TLS tests: one lookup of id 1 in a <c>rest-lookup</c>
/// table, and two rows written by an <c>http-sink</c> table.
/// </summary>
internal static class ConnectorRuns
{
    public const string LookupTable = "customers";
    public const string SinkTable = "orders";

    /// <summary>How long one run may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(20);

    private static readonly RowType KeyColumns = TypeParser.ParseColumns("id STRING");
    private static readonly LookupJoinSpec Join = new("c", [new("id", "id")], JoinType.Inner);

    /// <summary>
    /// Returns the options of a lookup table with columns <c>id STRING, msg STRING</c>. Retries wait 10 ms instead
    /// of the 1 s default, to keep failing tests short.
    /// </summary>
    public static Dictionary<string, string> LookupTableOptions(string url) => new(StringComparer.Ordinal)
    {
        [CommonOptions.Connector] = LookupOptions.ConnectorId,
        [CommonOptions.Format] = "json",
        [CommonOptions.Url] = url,
        [CommonOptions.Columns] = "id STRING, msg STRING",
        [LookupOptions.FixedDelay] = "10ms",
    };

    /// <summary>Returns the options of a sink table. Retries wait 10 ms instead of the 1 s default.</summary>
    public static Dictionary<string, string> SinkTableOptions(string url) => new(StringComparer.Ordinal)
    {
        [CommonOptions.Connector] = SinkOptions.ConnectorId,
        [CommonOptions.Url] = url,
        [SinkOptions.FixedDelay] = "10ms",
    };

    public static LookupSettings LookupSettingsOf(Dictionary<string, string> options)
    {
        return LookupSettings.Create(TableOptions.FromDictionary(LookupTable, options));
    }

    public static SinkSettings SinkSettingsOf(Dictionary<string, string> options)
    {
        return SinkSettings.Create(TableOptions.FromDictionary(SinkTable, options));
    }

    /// <summary>Looks up id 1 and returns the single lookup row that the join produced.</summary>
    public static async Task<Row> LookupAsync(
        Dictionary<string, string> options,
        IMaterializer materializer,
        ILoggerFactory? loggerFactory = null)
    {
        var joinOptions = new LookupJoinOptions { LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance };
        using var join = LookupJoin.Create(LookupSettingsOf(options), Join, KeyColumns, joinOptions);
        IReadOnlyList<Row> output = await Source.Single(new Row(KeyColumns, ["1"]))
            .Via(join.Flow)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<Row>(), materializer)
            .WaitAsync(RunTimeout);

        Row joined = Assert.Single(output);
        return Assert.IsType<Row>(joined["c"]);
    }

    /// <summary>Runs a lookup of id 1 that must fail, and returns the failure.</summary>
    public static async Task<LookupFailedException> LookupFailureAsync(
        Dictionary<string, string> options,
        IMaterializer materializer)
    {
        return await Assert.ThrowsAsync<LookupFailedException>(() => LookupAsync(options, materializer));
    }

    /// <summary>Writes two rows through a sink and returns its result.</summary>
    public static async Task<SinkResult> SinkAsync(
        Dictionary<string, string> options,
        IMaterializer materializer,
        ILoggerFactory? loggerFactory = null)
    {
        var sinkOptions = new HttpSinkOptions { LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance };
        using HttpSink sink = HttpSink.Create(SinkSettingsOf(options), sinkOptions);
        return await Source.From(Tests.Sink.SinkTestData.Orders(2))
            .RunWith(sink.Sink, materializer)
            .WaitAsync(RunTimeout);
    }

    /// <summary>Writes two rows through a sink that must fail, and returns the failure.</summary>
    public static async Task<SinkFailedException> SinkFailureAsync(
        Dictionary<string, string> options,
        IMaterializer materializer)
    {
        return await Assert.ThrowsAsync<SinkFailedException>(() => SinkAsync(options, materializer));
    }
}
