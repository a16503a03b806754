using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;
using Connector.Actors.Lookup;
using Connector.Actors.Options;

namespace Connector.Node.Configuration;

/// <summary>One pipeline declared under <c>httpactors.pipelines</c>: a source, lookups, an optional projection and a sink.</summary>
internal sealed record PipelineDefinition(string Name, string From, IReadOnlyList<LookupStep> Lookups, IReadOnlyList<string>? Select, string To)
{
    private static readonly HashSet<string> KnownKeys = ["from", "lookups", "select", "to"];
    private static readonly HashSet<string> KnownLookupKeys = ["table", "as", "on", "join", "buffer-capacity"];

    /// <summary>The keys of an entry of a pipeline's <c>lookups</c> list, as the <c>options</c> command prints them.</summary>
    public static IReadOnlyList<OptionDescriptor> LookupStepKeys { get; } =
    [
        new("table", null, "The lookup table, a rest-lookup table declared under httpactors.tables."),
        new("as", "the table name", "The output column that contains the lookup row."),
        new("on", null, "Lookup-table columns mapped to upstream columns, such as on { id = id }; the lookup columns name the request parameters."),
        new("join", "inner", "inner drops an element whose lookup found nothing; left emits it with the lookup columns null."),
        new("buffer-capacity", LookupJoinSpec.DefaultBufferCapacity.ToString(CultureInfo.InvariantCulture),
            "Maximum elements the lookup keeps at once, in flight or waiting to keep input order (1 to 2147483647)."),
    ];

    /// <summary>Reads every pipeline, collecting problems.</summary>
    public static IReadOnlyList<PipelineDefinition> ReadAll(Config config, List<ConfigurationProblem> problems)
    {
        var pipelines = new List<PipelineDefinition>();
        var section = config.GetConfig("httpactors.pipelines");
        if (section is null || section.IsEmpty)
        {
            return pipelines;
        }

        foreach (var (name, value) in section.Root.GetObject().Items)
        {
            var scope = $"pipeline '{name}'";
            if (!value.IsObject())
            {
                problems.Add(new ConfigurationProblem(scope, null, "expected an object with from, lookups, select and to."));
                continue;
            }

            var items = value.GetObject().Items;
            foreach (var key in items.Keys.Where(k => !KnownKeys.Contains(k)))
            {
                problems.Add(new ConfigurationProblem(scope, key, $"unknown key; a pipeline has {string.Join(", ", KnownKeys)}."));
            }

            var from = ReadString(items, "from", scope, problems, required: true, example: "orders");
            var to = ReadString(items, "to", scope, problems, required: true, example: "enriched");
            var lookups = items.TryGetValue("lookups", out var lookupValue) ? ReadLookups(lookupValue, scope, problems) : [];
            IReadOnlyList<string>? select = null;
            if (items.TryGetValue("select", out var selectValue))
            {
                if (selectValue.IsArray())
                {
                    select = selectValue.GetArray().Select(item => item.GetString()).ToArray();
                }
                else
                {
                    problems.Add(new ConfigurationProblem(scope, "select", "expected a list of column paths, such as [\"id\", \"c.msg as message\"]."));
                }
            }

            if (from is not null && to is not null)
            {
                pipelines.Add(new PipelineDefinition(name, from, lookups, select, to));
            }
        }

        return pipelines;
    }

    private static List<LookupStep> ReadLookups(HoconValue value, string scope, List<ConfigurationProblem> problems)
    {
        var steps = new List<LookupStep>();
        if (!value.IsArray())
        {
            problems.Add(new ConfigurationProblem(scope, "lookups", "expected a list such as [ { table = customers, as = c, on { id = id } } ]."));
            return steps;
        }

        var index = 0;
        foreach (var item in value.GetArray())
        {
            var itemScope = $"{scope}, lookup {index++}";
            if (!item.IsObject())
            {
                problems.Add(new ConfigurationProblem(itemScope, null, "expected an object with table, as, on, join and buffer-capacity."));
                continue;
            }

            var fields = item.GetObject().Items;
            foreach (var key in fields.Keys.Where(k => !KnownLookupKeys.Contains(k)))
            {
                problems.Add(new ConfigurationProblem(itemScope, key, $"unknown key; a lookup has {string.Join(", ", KnownLookupKeys)}."));
            }

            var table = ReadString(fields, "table", itemScope, problems, required: true, example: "customers");
            var alias = ReadString(fields, "as", itemScope, problems, required: false, example: "c") ?? table;
            var join = JoinType.Inner;
            var joinText = ReadString(fields, "join", itemScope, problems, required: false, example: "left");
            if (joinText is not null)
            {
                // Only the names are read, because Enum.TryParse also accepts numbers such as 1.
                var joinName = Enum.GetNames<JoinType>().FirstOrDefault(n => n.Equals(joinText.Trim(), StringComparison.OrdinalIgnoreCase));
                if (joinName is null)
                {
                    problems.Add(new ConfigurationProblem(itemScope, "join", $"invalid value '{joinText}'; allowed values: inner, left."));
                }
                else
                {
                    join = Enum.Parse<JoinType>(joinName);
                }
            }

            var bufferCapacity = LookupJoinSpec.DefaultBufferCapacity;
            var capacityText = ReadString(fields, "buffer-capacity", itemScope, problems, required: false, example: "100");
            if (capacityText is not null)
            {
                if (int.TryParse(capacityText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var capacity) && capacity >= 1)
                {
                    bufferCapacity = capacity;
                }
                else
                {
                    problems.Add(new ConfigurationProblem(itemScope, "buffer-capacity", $"invalid value '{capacityText}'; expected a whole " +
                        $"number of elements from 1 to {int.MaxValue}, such as buffer-capacity = {LookupJoinSpec.DefaultBufferCapacity}."));
                }
            }

            var on = new List<KeyValuePair<string, string>>();
            if (fields.TryGetValue("on", out var onValue) && onValue.IsObject())
            {
                foreach (var (lookupColumn, sourceColumn) in onValue.GetObject().Items)
                {
                    on.Add(new(lookupColumn, sourceColumn.GetString()));
                }
            }
            else
            {
                problems.Add(new ConfigurationProblem(itemScope, "on", "missing; map lookup columns to upstream columns, such as on { id = id }."));
            }

            if (table is not null)
            {
                steps.Add(new LookupStep(table, alias!, on, join, bufferCapacity));
            }
        }

        return steps;
    }

    private static string? ReadString(
        IDictionary<string, HoconValue> items, string key, string scope, List<ConfigurationProblem> problems, bool required, string example)
    {
        // An empty object counts as empty too, so it is rejected here rather than taken as missing.
        // NOTE: Akka's parser (1.5) returns an empty list, [], as a value that is neither a list nor an object, so
        // buffer-capacity = [] still reads as unset.
        items.TryGetValue(key, out var value);
        if (value is not null && (value.IsObject() || value.IsArray()))
        {
            problems.Add(new ConfigurationProblem(scope, key, $"expected a single value, not an object or a list, such as {key} = {example}."));
            return null;
        }

        if (value is null || value.IsEmpty)
        {
            if (required)
            {
                problems.Add(new ConfigurationProblem(scope, key, "missing; name a table declared under httpactors.tables."));
            }

            return null;
        }

        return value.GetString();
    }
}
