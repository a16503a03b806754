using Akka.Configuration;
using Connector.Actors.Cluster;
using Connector.Actors.Lookup;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using Connector.Node.Configuration;
using Connector.Node.Tables;
using Microsoft.Extensions.Logging;

namespace Connector.Node.Pipelines;

/// <summary>
/// Every table and pipeline of a node configuration, validated together so that all problems are reported at once.
/// Building a plan makes no network request.
/// </summary>
internal sealed class NodePlan : IDisposable
{
    private NodePlan(IReadOnlyList<PipelinePlan> pipelines)
    {
        Pipelines = pipelines;
    }

    public IReadOnlyList<PipelinePlan> Pipelines { get; }

    public static (NodePlan? Plan, IReadOnlyList<ConfigurationProblem> Problems) Build(
        Config config, ILoggerFactory loggerFactory, TextWriter standardOutput, Akka.Actor.ActorSystem? system = null)
    {
        var problems = new List<ConfigurationProblem>();
        var tables = TableDefinition.ReadAll(config, problems);
        var definitions = PipelineDefinition.ReadAll(config, problems);
        var lookupSettings = new Dictionary<string, LookupSettings>(StringComparer.Ordinal);
        var sinkSettings = new Dictionary<string, SinkSettings>(StringComparer.Ordinal);
        var sourceColumns = new Dictionary<string, RowType>(StringComparer.Ordinal);

        foreach (var table in tables.Values)
        {
            ValidateTable(table, standardOutput, problems, lookupSettings, sinkSettings, sourceColumns);
        }

        CheckSharedEndpoints(tables, lookupSettings, sinkSettings, problems);
        if (definitions.Count == 0 && problems.Count == 0)
        {
            problems.Add(new ConfigurationProblem("httpactors.pipelines", null, "no pipeline is declared; add one with from, lookups and to."));
        }

        var pipelines = new List<PipelinePlan>();
        foreach (var definition in definitions)
        {
            var pipeline = BuildPipeline(definition, tables, lookupSettings, sinkSettings, sourceColumns, loggerFactory, standardOutput, system, problems);
            if (pipeline is not null)
            {
                pipelines.Add(pipeline);
            }
        }

        CheckFileConflicts(pipelines, problems);
        if (problems.Count > 0)
        {
            foreach (var pipeline in pipelines)
            {
                pipeline.Dispose();
            }

            return (null, problems);
        }

        return (new NodePlan(pipelines), problems);
    }

    public void Dispose()
    {
        foreach (var pipeline in Pipelines)
        {
            pipeline.Dispose();
        }
    }

    /// <summary>
    /// Rejects HTTP tables that share an endpoint but set its rate limit or circuit breaker differently. The tables share
    /// one gate and one entity for that endpoint, so only one table's values could apply.
    /// </summary>
    private static void CheckSharedEndpoints(
        IReadOnlyDictionary<string, TableDefinition> tables,
        Dictionary<string, LookupSettings> lookupSettings,
        Dictionary<string, SinkSettings> sinkSettings,
        List<ConfigurationProblem> problems)
    {
        var first = new Dictionary<string, (string Table, EndpointSettings Settings)>(StringComparer.Ordinal);
        foreach (var table in tables.Values)
        {
            EndpointSettings? endpoint = lookupSettings.TryGetValue(table.Name, out var lookup) ? lookup.Endpoint
                : sinkSettings.TryGetValue(table.Name, out var sink) ? sink.Endpoint
                : null;
            if (endpoint is null)
            {
                continue;
            }

            if (!first.TryGetValue(endpoint.EndpointId, out var earlier))
            {
                first[endpoint.EndpointId] = (table.Name, endpoint);
                continue;
            }

            foreach (var (option, value, earlierValue) in endpoint.DifferencesFrom(earlier.Settings))
            {
                problems.Add(new ConfigurationProblem(table.Options.Scope, option,
                    $"is {value} here but {earlierValue} in table '{earlier.Table}', and both tables send to endpoint " +
                    $"'{endpoint.EndpointId}', whose rate limit and circuit breaker they share; set the same value in both, " +
                    $"or give one of them its own {CommonOptions.EndpointName}."));
            }
        }
    }

    /// <summary>Rejects file sinks that two pipelines write, and file sinks that replace a file a pipeline reads.</summary>
    private static void CheckFileConflicts(List<PipelinePlan> pipelines, List<ConfigurationProblem> problems)
    {
        var writers = new Dictionary<string, string>(StringComparer.Ordinal);
        var read = pipelines.Where(p => p.Source is FileSourceTable)
            .ToDictionary(p => ((FileSourceTable)p.Source).FullPath, p => p.Name, StringComparer.Ordinal);
        foreach (var pipeline in pipelines)
        {
            if (pipeline.Sink is not FileSinkTable sink)
            {
                continue;
            }

            var scope = $"pipeline '{pipeline.Name}'";
            if (writers.TryGetValue(sink.FullPath, out var other))
            {
                problems.Add(new ConfigurationProblem(scope, "to", $"file '{sink.FullPath}' is also written by pipeline '{other}', and each run replaces the file; give each pipeline its own file sink."));
            }
            else
            {
                writers[sink.FullPath] = pipeline.Name;
            }

            if (read.TryGetValue(sink.FullPath, out var reader))
            {
                problems.Add(new ConfigurationProblem(scope, "to", $"file '{sink.FullPath}' is the file that pipeline '{reader}' reads, and writing would empty it first; choose another path."));
            }
        }
    }

    private static void ValidateTable(
        TableDefinition table,
        TextWriter standardOutput,
        List<ConfigurationProblem> problems,
        Dictionary<string, LookupSettings> lookupSettings,
        Dictionary<string, SinkSettings> sinkSettings,
        Dictionary<string, RowType> sourceColumns)
    {
        switch (table.Connector)
        {
            case LookupOptions.ConnectorId:
                var (lookup, lookupProblems) = LookupSettings.TryCreate(table.Options);
                problems.AddRange(lookupProblems);
                if (lookup is not null)
                {
                    lookupSettings[table.Name] = lookup;
                }

                break;
            case SinkOptions.ConnectorId:
                var (sink, sinkProblems) = SinkSettings.TryCreate(table.Options);
                problems.AddRange(sinkProblems);
                ParseOptionalColumns(table, problems);
                if (sink is not null)
                {
                    sinkSettings[table.Name] = sink;
                }

                break;
            case NodeConnectorOptions.Datagen:
                var columns = ParseRequiredColumns(table, problems);
                if (DatagenTable.Create(table.Options, columns, problems) is not null && columns is not null)
                {
                    sourceColumns[table.Name] = columns;
                }

                break;
            case NodeConnectorOptions.File:
                // A file table is a source when it declares columns and a sink otherwise; both checks apply to its options.
                var fileColumns = table.Options.Get(CommonOptions.Columns) is null ? null : ParseRequiredColumns(table, problems);
                if (fileColumns is not null)
                {
                    if (FileSourceTable.Create(table.Options, fileColumns, problems) is not null)
                    {
                        sourceColumns[table.Name] = fileColumns;
                    }
                }
                else if (table.Options.Get(CommonOptions.Columns) is null)
                {
                    FileSinkTable.Create(table.Options, problems);
                }

                break;
            case NodeConnectorOptions.Print:
                ParseOptionalColumns(table, problems);
                PrintSinkTable.Create(table.Options, standardOutput, problems);
                break;
            case NodeConnectorOptions.Blackhole:
                ParseOptionalColumns(table, problems);
                BlackholeSinkTable.Create(table.Options, problems);
                break;
            default:
                var known = new[] { NodeConnectorOptions.Datagen, NodeConnectorOptions.File, LookupOptions.ConnectorId, SinkOptions.ConnectorId, NodeConnectorOptions.Print, NodeConnectorOptions.Blackhole };
                var suggestion = NameSuggestion.Closest(table.Connector, known);
                problems.Add(new ConfigurationProblem(table.Options.Scope, CommonOptions.Connector,
                    $"unknown connector '{table.Connector}'; " + (suggestion is null ? $"known connectors: {string.Join(", ", known)}." : $"did you mean '{suggestion}'?")));
                break;
        }
    }

    private static PipelinePlan? BuildPipeline(
        PipelineDefinition definition,
        IReadOnlyDictionary<string, TableDefinition> tables,
        Dictionary<string, LookupSettings> lookupSettings,
        Dictionary<string, SinkSettings> sinkSettings,
        Dictionary<string, RowType> sourceColumns,
        ILoggerFactory loggerFactory,
        TextWriter standardOutput,
        Akka.Actor.ActorSystem? system,
        List<ConfigurationProblem> problems)
    {
        var scope = $"pipeline '{definition.Name}'";
        var before = problems.Count;
        var source = CreateSource(definition.From, tables, sourceColumns, scope, problems);
        var sink = CreateSink(definition.To, tables, sinkSettings, loggerFactory, standardOutput, system, scope, problems);
        var lookups = new List<LookupJoin>();
        var type = source?.Columns;
        foreach (var step in definition.Lookups)
        {
            if (!tables.TryGetValue(step.Table, out var table))
            {
                problems.Add(new ConfigurationProblem(scope, "lookups", $"table '{step.Table}' is not declared under httpactors.tables."));
                type = null;
                continue;
            }

            if (table.Connector != LookupOptions.ConnectorId)
            {
                problems.Add(new ConfigurationProblem(scope, "lookups", $"table '{step.Table}' is a {table.Connector} table; lookups need a rest-lookup table."));
                type = null;
                continue;
            }

            if (type is null || !lookupSettings.TryGetValue(step.Table, out var settings))
            {
                type = null;
                continue;
            }

            try
            {
                var join = LookupJoin.Create(settings, new LookupJoinSpec(step.Alias, step.On, step.Join, step.BufferCapacity), type, new LookupJoinOptions
                {
                    LoggerFactory = loggerFactory,
                    ActorSystem = system,
                });
                lookups.Add(join);
                type = join.OutputType;
            }
            catch (Connector.Actors.Options.ConfigurationException exception)
            {
                problems.AddRange(exception.Problems.Select(p => p with { Scope = $"{scope}, {p.Scope}" }));
                type = null;
            }
        }

        Projection? projection = null;
        if (definition.Select is not null && type is not null)
        {
            projection = Projection.Create(definition.Select, type, scope, problems);
            type = projection?.OutputType;
        }

        if (problems.Count > before || source is null || sink is null || type is null)
        {
            foreach (var lookup in lookups)
            {
                lookup.Dispose();
            }

            sink?.Dispose();
            return null;
        }

        return new PipelinePlan(definition.Name, source, lookups, projection, sink, type);
    }

    private static SourceTable? CreateSource(
        string name,
        IReadOnlyDictionary<string, TableDefinition> tables,
        Dictionary<string, RowType> sourceColumns,
        string scope,
        List<ConfigurationProblem> problems)
    {
        if (!tables.TryGetValue(name, out var table))
        {
            problems.Add(new ConfigurationProblem(scope, "from", $"table '{name}' is not declared under httpactors.tables."));
            return null;
        }

        if (table.Connector is not (NodeConnectorOptions.Datagen or NodeConnectorOptions.File) ||
            (table.Connector == NodeConnectorOptions.File && table.Options.Get(CommonOptions.Columns) is null))
        {
            problems.Add(new ConfigurationProblem(scope, "from", $"table '{name}' ({table.Connector}) is not a source; " +
                "a source is a datagen table or a file table with columns."));
            return null;
        }

        if (!sourceColumns.TryGetValue(name, out var columns))
        {
            return null;
        }

        var ignored = new List<ConfigurationProblem>();
        return table.Connector == NodeConnectorOptions.Datagen
            ? DatagenTable.Create(table.Options, columns, ignored)
            : FileSourceTable.Create(table.Options, columns, ignored);
    }

    private static SinkTable? CreateSink(
        string name,
        IReadOnlyDictionary<string, TableDefinition> tables,
        Dictionary<string, SinkSettings> sinkSettings,
        ILoggerFactory loggerFactory,
        TextWriter standardOutput,
        Akka.Actor.ActorSystem? system,
        string scope,
        List<ConfigurationProblem> problems)
    {
        if (!tables.TryGetValue(name, out var table))
        {
            problems.Add(new ConfigurationProblem(scope, "to", $"table '{name}' is not declared under httpactors.tables."));
            return null;
        }

        var ignored = new List<ConfigurationProblem>();
        switch (table.Connector)
        {
            case SinkOptions.ConnectorId:
                return sinkSettings.TryGetValue(name, out var settings)
                    ? new HttpSinkTable(name, HttpSink.Create(settings, new HttpSinkOptions { LoggerFactory = loggerFactory, ActorSystem = system }))
                    : null;
            case NodeConnectorOptions.File when table.Options.Get(CommonOptions.Columns) is null:
                return FileSinkTable.Create(table.Options, ignored);
            case NodeConnectorOptions.Print:
                return PrintSinkTable.Create(table.Options, standardOutput, ignored);
            case NodeConnectorOptions.Blackhole:
                return BlackholeSinkTable.Create(table.Options, ignored);
            default:
                problems.Add(new ConfigurationProblem(scope, "to", $"table '{name}' ({table.Connector}) is not a sink; " +
                    "a sink is an http-sink, print or blackhole table, or a file table without columns."));
                return null;
        }
    }

    private static RowType? ParseRequiredColumns(TableDefinition table, List<ConfigurationProblem> problems)
    {
        var text = table.Options.Get(CommonOptions.Columns);
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new ConfigurationProblem(table.Options.Scope, CommonOptions.Columns, "missing required option; declare the columns, such as \"id STRING, amount DECIMAL(10, 2)\"."));
            return null;
        }

        try
        {
            var columns = TypeParser.ParseColumns(text);
            if (columns.PhysicalCount != columns.Count)
            {
                problems.Add(new ConfigurationProblem(table.Options.Scope, CommonOptions.Columns, "metadata columns are only allowed in rest-lookup tables."));
                return null;
            }

            return columns;
        }
        catch (TypeSyntaxException exception)
        {
            problems.Add(new ConfigurationProblem(table.Options.Scope, CommonOptions.Columns, exception.Message));
            return null;
        }
    }

    private static void ParseOptionalColumns(TableDefinition table, List<ConfigurationProblem> problems)
    {
        if (table.Options.Get(CommonOptions.Columns) is not null)
        {
            ParseRequiredColumns(table, problems);
        }
    }
}
