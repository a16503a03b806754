using Akka.Streams.Dsl;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// The connector side of the uncached lookup scenarios: <see cref="LookupJoin"/> over distinct keys, so every element
/// sends one request. Each element's latency runs from its emission into the join to its arrival downstream.
/// </summary>
internal sealed class LookupJoinSide : IBenchmarkSide
{
    private readonly BenchmarkContext _context;
    private readonly LookupJoin _join;
    private readonly Row[] _rows;
    private readonly LatencyRecorder _latencies;

    private LookupJoinSide(BenchmarkContext context, LookupJoin join, Row[] rows, string description)
    {
        _context = context;
        _join = join;
        _rows = rows;
        _latencies = new LatencyRecorder(rows.Length);
        Description = description;
    }

    public string Description { get; }

    /// <summary>Creates a join that sends GET or POST lookups with the given parallelism.</summary>
    public static LookupJoinSide Create(
        BenchmarkContext context, HttpMethod method, int parallelism, int elements, double? rateLimit = null)
    {
        var options = LookupTableOptions(context.Server, method, parallelism);
        if (rateLimit is { } limit)
        {
            // Without an actor system the rate limit runs through an endpoint entity in a private local actor system.
            options[CommonOptions.RateLimitRequestsPerSecond] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var join = LookupJoin.Create(
            LookupSettings.Create(TableOptions.FromDictionary("customers", options)),
            LookupTableSpec,
            BenchmarkData.OrderType);
        return new LookupJoinSide(
            context,
            join,
            BenchmarkData.Orders(elements, distinctKeys: elements),
            $"LookupJoin, {method} {PathOf(method)}, {LookupOptions.RequestThreadPoolSize}={parallelism}" +
                (rateLimit is null ? string.Empty : $", {CommonOptions.RateLimitRequestsPerSecond}={rateLimit}"));
    }

    /// <summary>The join of every lookup scenario: inner join on id, lookup row under alias c.</summary>
    public static LookupJoinSpec LookupTableSpec { get; } = new("c", [new("id", "id")], JoinType.Inner);

    /// <summary>Returns the options of the customer lookup table on the benchmark server.</summary>
    public static Dictionary<string, string> LookupTableOptions(BenchmarkServer server, HttpMethod method, int parallelism)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CommonOptions.Connector] = LookupOptions.ConnectorId,
            [CommonOptions.Format] = "json",
            [CommonOptions.Url] = server.BaseUrl + PathOf(method),
            [CommonOptions.Columns] = BenchmarkData.CustomerColumns,
            [LookupOptions.RequestThreadPoolSize] = parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (method != HttpMethod.Get)
        {
            options[LookupOptions.LookupMethod] = method.Method;
        }

        return options;
    }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        _latencies.Reset();
        await Source.From(new ArraySegment<Row>(_rows, 0, elements))
            .Select(row =>
            {
                _latencies.Start((int)row.Values[1]!);
                return row;
            })
            .Via(_join.Flow)
            .Select(row =>
            {
                _latencies.Stop((int)row.Values[1]!);
                return row;
            })
            .RunWith(Sink.Ignore<Row>(), _context.Materializer)
            .WaitAsync(cancellationToken);

        if (_latencies.Count != elements)
        {
            throw new InvalidOperationException($"{Description}: {elements} elements went in but {_latencies.Count} came out.");
        }

        return new SideRun(elements, _latencies);
    }

    public ValueTask DisposeAsync()
    {
        _join.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string PathOf(HttpMethod method) => method == HttpMethod.Get ? "/customer" : "/lookup";
}
