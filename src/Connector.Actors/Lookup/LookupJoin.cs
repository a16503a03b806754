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

    private LookupJoin(LookupService service, int[] sourceKeyIndexes, RowType outputType, RowType lookupType, JoinType joinType, ConnectorMetrics metrics, int parallelism)
    {
        _service = service;
        _sourceKeyIndexes = sourceKeyIndexes;
        _lookupType = lookupType;
        _joinType = joinType;
        OutputType = outputType;
        Metrics = metrics;
        Flow = Akka.Streams.Dsl.Flow.Create<Row>()
            .SelectAsync(parallelism, JoinAsync)
            .SelectMany(rows => rows)
            .Named("http-lookup-join-" + lookupType.Count);
    }

    /// <summary>The output columns: the upstream columns, then the lookup row under the alias.</summary>
    public RowType OutputType { get; }

    /// <summary>The flow; it may be materialized any number of times.</summary>
    public Flow<Row, Row, NotUsed> Flow { get; }

    /// <summary>The join's request, retry, failure and cache counters.</summary>
    public ConnectorMetrics Metrics { get; }

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
            settings.Parallelism);
    }

    /// <summary>Releases the join's connection pool.</summary>
    public void Dispose() => _service.Dispose();

    private async Task<IReadOnlyList<Row>> JoinAsync(Row source)
    {
        var keys = new object?[_sourceKeyIndexes.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = source.Values[_sourceKeyIndexes[i]];
        }

        var lookup = _service.LookupAsync(keys, CancellationToken.None);
        if (lookup.IsFaulted)
        {
            // SelectAsync (Akka.Streams 1.5.75) fails the stream with the AggregateException of a task that is already
            // faulted when it is returned, but with the inner exception when the task faults later. Yielding gives a
            // lookup that failed before any I/O the same LookupFailedException as any other failed lookup.
            await Task.Yield();
        }

        var found = await lookup.ConfigureAwait(false);
        if (found.Count == 0)
        {
            return _joinType == JoinType.Left ? [Joined(source, Row.Nulls(_lookupType))] : [];
        }

        var output = new Row[found.Count];
        for (var i = 0; i < found.Count; i++)
        {
            output[i] = Joined(source, found[i]);
        }

        return output;
    }

    private Row Joined(Row source, Row lookup)
    {
        var values = new object?[OutputType.Count];
        Array.Copy(source.Values, values, source.Values.Length);
        values[^1] = lookup;
        return new Row(OutputType, values);
    }
}
