using Akka;
using Akka.Streams.Dsl;
using Connector.Actors.Http;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Actors.Lookup;

/// <summary>
/// An HTTP lookup join as an Akka.Streams flow: each element's key columns drive one lookup, and each result row
/// is joined to the element under the alias. Output order follows input order.
/// </summary>
public sealed class LookupJoin : IDisposable
{
    private readonly LookupService _service;
    private readonly int[] _sourceKeyIndexes;
    private readonly JoinType _joinType;
    private readonly RowType _lookupType;
    private long _bufferedElements;

    private LookupJoin(
        LookupService service,
        int[] sourceKeyIndexes,
        RowType outputType,
        RowType lookupType,
        JoinType joinType,
        ConnectorMetrics metrics,
        int parallelism,
        int bufferCapacity)
    {
        _service = service;
        _sourceKeyIndexes = sourceKeyIndexes;
        _lookupType = lookupType;
        _joinType = joinType;
        OutputType = outputType;
        Metrics = metrics;
        BufferCapacity = bufferCapacity;
        Flow = Akka.Streams.Dsl.Flow.Create<Row>()
            .Via(new LookupJoinStage(this, parallelism, bufferCapacity))
            .Named("http-lookup-join-" + lookupType.Count);
    }

    /// <summary>The output columns: the upstream columns, then the lookup row under the alias.</summary>
    public RowType OutputType { get; }

    /// <summary>The flow; it may be materialized any number of times.</summary>
    public Flow<Row, Row, NotUsed> Flow { get; }

    /// <summary>The join's request, retry, failure and cache counters.</summary>
    public ConnectorMetrics Metrics { get; }

    /// <summary>
    /// Elements that the join's running streams have taken in and not yet emitted or dropped, summed over every
    /// materialization: those whose lookup runs or waits, and those that wait for earlier elements.
    /// </summary>
    public long BufferedElements => Interlocked.Read(ref _bufferedElements);

    /// <summary>Creates a lookup join of a stream with the given columns against a lookup table.</summary>
    /// <exception cref="ConfigurationException">The join does not fit the table or the upstream columns; every problem is listed.</exception>
    public static LookupJoin Create(LookupSettings settings, LookupJoinSpec spec, RowType sourceType, LookupJoinOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sourceType);

        options ??= new LookupJoinOptions();
        var scope = $"lookup of table '{settings.TableName}' as '{spec.Alias}'";
        var problems = new List<ConfigurationProblem>();
        var keys = new List<(int LookupIndex, int SourceIndex)>();
        foreach (var (lookupColumn, sourceColumn) in spec.On)
        {
            var lookupIndex = settings.Columns.IndexOf(lookupColumn);
            var sourceIndex = sourceType.IndexOf(sourceColumn);
            if (lookupIndex < 0 || settings.Columns[lookupIndex].IsMetadata)
            {
                problems.Add(new(scope, "on", $"'{lookupColumn}' is not a column of table '{settings.TableName}'; its columns: " +
                    $"{string.Join(", ", settings.Columns.Fields.Where(f => !f.IsMetadata).Select(f => f.Name))}."));
            }

            if (sourceIndex < 0)
            {
                problems.Add(new(scope, "on", $"'{sourceColumn}' is not an upstream column; upstream columns: " +
                    $"{string.Join(", ", sourceType.Fields.Select(f => f.Name))}."));
            }

            if (lookupIndex >= 0 && sourceIndex >= 0)
            {
                keys.Add((lookupIndex, sourceIndex));
            }
        }

        if (spec.On.Count == 0)
        {
            problems.Add(new(scope, "on", "a lookup needs at least one key, such as on { id = id }."));
        }

        if (sourceType.IndexOf(spec.Alias) >= 0)
        {
            problems.Add(new(scope, "as", $"alias '{spec.Alias}' is already an upstream column; choose another alias."));
        }

        if (spec.BufferCapacity < 1)
        {
            problems.Add(new(scope, "buffer-capacity", $"invalid value {spec.BufferCapacity}; the join must hold at least one " +
                $"element. Use a whole number of at least 1, such as the default {LookupJoinSpec.DefaultBufferCapacity}."));
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        // Keys are sent in the lookup table's column order, whatever order the join lists them in.
        keys.Sort((a, b) => a.LookupIndex.CompareTo(b.LookupIndex));
        var keyType = new RowType(keys.Select(k => settings.Columns[k.LookupIndex]).ToArray());
        var service = new LookupService(settings, keyType, scope, options);
        var outputType = new RowType([.. sourceType.Fields, new RowField(spec.Alias, DataType.Row(settings.Columns))]);
        return new LookupJoin(
            service,
            keys.Select(k => k.SourceIndex).ToArray(),
            outputType,
            settings.Columns,
            spec.Join,
            options.Metrics,
            settings.Parallelism,
            spec.BufferCapacity);
    }

    /// <summary>
    /// Cancels the lookups in flight, their retries included, and fails every later lookup at once. The join cannot
    /// send again afterwards. A request that was already written may still have reached the endpoint.
    /// </summary>
    public void CancelRequests() => _service.CancelRequests();

    /// <summary>Releases the join's connection pool.</summary>
    public void Dispose() => _service.Dispose();

    /// <summary>The number of key columns, which is the length of the key array that <see cref="LookupAsync"/> fills.</summary>
    internal int KeyCount => _sourceKeyIndexes.Length;

    /// <summary>The maximum number of elements that the join's stage keeps at once.</summary>
    internal int BufferCapacity { get; }

    /// <summary>Adds to <see cref="BufferedElements"/>, or subtracts when <paramref name="count"/> is negative.</summary>
    internal void AddBuffered(int count) => Interlocked.Add(ref _bufferedElements, count);

    /// <summary>Inner or left join.</summary>
    internal JoinType JoinType => _joinType;

    /// <summary>
    /// Starts the lookup of an element: copies its key values into <paramref name="keys"/>, which the caller may reuse
    /// as soon as this returns, and returns the lookup rows, already completed when the cache has them.
    /// </summary>
    internal ValueTask<IReadOnlyList<Row>> LookupAsync(Row source, object?[] keys)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = source.Values[_sourceKeyIndexes[i]];
        }

        return _service.LookupAsync(keys, CancellationToken.None);
    }

    /// <summary>Returns the output row of an element that a left join found no lookup row for.</summary>
    internal Row JoinedWithNulls(Row source) => Joined(source, Row.Nulls(_lookupType));

    /// <summary>Returns the output row: the element's values, then the lookup row under the alias.</summary>
    internal Row Joined(Row source, Row lookup)
    {
        var values = new object?[OutputType.Count];
        Array.Copy(source.Values, values, source.Values.Length);
        values[^1] = lookup;
        return new Row(OutputType, values);
    }
}
