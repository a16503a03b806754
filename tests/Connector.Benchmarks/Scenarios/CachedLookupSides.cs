using Akka.Streams.Dsl;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// The connector side of the cached lookup scenario: <see cref="LookupJoin"/> with <c>lookup.cache = PARTIAL</c>,
/// warmed before the first iteration, over a few keys that all hit. Iterations run exactly
/// <c>Source.From(rows).Via(join.Flow).RunWith(Sink.Ignore)</c>; latency comes from a separate stamped pass.
/// </summary>
internal sealed class CachedLookupSide : IBenchmarkSide, ISeparateLatencyPass
{
    private readonly BenchmarkContext _context;
    private readonly LookupJoin _join;
    private readonly Row[] _distinctRows;

    private CachedLookupSide(BenchmarkContext context, LookupJoin join, Row[] distinctRows, string description)
    {
        _context = context;
        _join = join;
        _distinctRows = distinctRows;
        Description = description;
    }

    public string Description { get; }

    /// <summary>Creates the join and fills its cache with every key of the scenario.</summary>
    public static async Task<CachedLookupSide> CreateAsync(BenchmarkContext context, int parallelism, int distinctKeys)
    {
        var options = LookupJoinSide.LookupTableOptions(context.Server, HttpMethod.Get, parallelism);
        options[LookupOptions.Cache] = "PARTIAL";
        var join = LookupJoin.Create(
            LookupSettings.Create(TableOptions.FromDictionary("customers", options)),
            LookupJoinSide.LookupTableSpec,
            BenchmarkData.OrderType);
        var rows = BenchmarkData.Orders(distinctKeys, distinctKeys);
        await Source.From(rows).Via(join.Flow).RunWith(Sink.Ignore<Row>(), context.Materializer);
        if (join.Metrics.CacheMisses != distinctKeys)
        {
            throw new InvalidOperationException($"Warming the cache with {distinctKeys} keys missed {join.Metrics.CacheMisses} times.");
        }

        return new CachedLookupSide(
            context,
            join,
            rows,
            $"LookupJoin, GET, {LookupOptions.Cache}=PARTIAL, {distinctKeys} keys, {LookupOptions.RequestThreadPoolSize}={parallelism}");
    }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        var hits = _join.Metrics.CacheHits;
        var misses = _join.Metrics.CacheMisses;
        await Source.From(new RepeatedRows(_distinctRows, elements))
            .Via(_join.Flow)
            .RunWith(Sink.Ignore<Row>(), _context.Materializer)
            .WaitAsync(cancellationToken);

        if (_join.Metrics.CacheHits - hits != elements || _join.Metrics.CacheMisses != misses)
        {
            throw new InvalidOperationException(
                $"{Description}: expected {elements} cache hits and no miss, got {_join.Metrics.CacheHits - hits} hits and {_join.Metrics.CacheMisses - misses} misses.");
        }

        return new SideRun(elements, null);
    }

    public Task<LatencySummary?> MeasureLatencyAsync(int elements, CancellationToken cancellationToken) =>
        StampedPass.RunAsync(_context, _join.Flow, _distinctRows.Length, elements, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _join.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The baseline of the cached lookup scenario: a hand-written join in one <c>Select</c> stage that takes the lookup
/// row from a dictionary and builds the same output row as the connector, with nothing else in the stream.
/// </summary>
internal sealed class DictionaryJoinSide : IBenchmarkSide, ISeparateLatencyPass
{
    private readonly BenchmarkContext _context;
    private readonly Row[] _distinctRows;
    private readonly Flow<Row, Row, Akka.NotUsed> _flow;

    public DictionaryJoinSide(BenchmarkContext context, int distinctKeys)
    {
        _context = context;
        _distinctRows = BenchmarkData.Orders(distinctKeys, distinctKeys);
        var lookupType = TypeParser.ParseColumns(BenchmarkData.CustomerColumns);
        var outputType = new RowType([.. BenchmarkData.OrderType.Fields, new RowField("c", DataType.Row(lookupType))]);
        var customers = _distinctRows.ToDictionary(
            row => (string)row.Values[0]!,
            row => new Row(lookupType, [row.Values[0], "Customer name", "gold", 1250]),
            StringComparer.Ordinal);
        _flow = Flow.Create<Row>().Select(row =>
        {
            var values = new object?[outputType.Count];
            Array.Copy(row.Values, values, row.Values.Length);
            values[^1] = customers[(string)row.Values[0]!];
            return new Row(outputType, values);
        });
        Description = $"Select stage joining from a Dictionary, {distinctKeys} keys";
    }

    public string Description { get; }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        await Source.From(new RepeatedRows(_distinctRows, elements))
            .Via(_flow)
            .RunWith(Sink.Ignore<Row>(), _context.Materializer)
            .WaitAsync(cancellationToken);
        return new SideRun(elements, null);
    }

    public Task<LatencySummary?> MeasureLatencyAsync(int elements, CancellationToken cancellationToken) =>
        StampedPass.RunAsync(_context, _flow, _distinctRows.Length, elements, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Runs a flow once with a timestamp stage on each side of it, for the latency of the cached scenario.</summary>
internal static class StampedPass
{
    /// <summary>The most elements a stamped pass uses, so that its rows stay small next to a long iteration's.</summary>
    public const int MaxElements = 100_000;

    public static async Task<LatencySummary?> RunAsync(
        BenchmarkContext context, Flow<Row, Row, Akka.NotUsed> flow, int distinctKeys, int elements, CancellationToken cancellationToken)
    {
        var count = Math.Min(elements, MaxElements);
        var rows = BenchmarkData.Orders(count, distinctKeys);
        var latencies = new LatencyRecorder(count);
        await Source.From(rows)
            .Select(row =>
            {
                latencies.Start((int)row.Values[1]!);
                return row;
            })
            .Via(flow)
            .Select(row =>
            {
                latencies.Stop((int)row.Values[1]!);
                return row;
            })
            .RunWith(Sink.Ignore<Row>(), context.Materializer)
            .WaitAsync(cancellationToken);
        return latencies.Summarize();
    }
}
