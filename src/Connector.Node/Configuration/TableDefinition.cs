using Akka.Configuration;
using Connector.Actors.Options;

namespace Connector.Node.Configuration;

/// <summary>One table declared under <c>httpactors.tables</c>.</summary>
internal sealed record TableDefinition(string Name, string Connector, TableOptions Options)
{
    /// <summary>Reads every table; a table without a connector is a problem.</summary>
    public static IReadOnlyDictionary<string, TableDefinition> ReadAll(Config config, List<ConfigurationProblem> problems)
    {
        var tables = new Dictionary<string, TableDefinition>(StringComparer.Ordinal);
        var section = config.GetConfig("httpactors.tables");
        if (section is null || section.IsEmpty)
        {
            return tables;
        }

        foreach (var (name, value) in section.Root.GetObject().Items)
        {
            if (!value.IsObject())
            {
                problems.Add(new ConfigurationProblem($"table '{name}'", null, "expected an object of options, such as { connector = datagen, ... }."));
                continue;
            }

            var options = TableOptions.FromConfig(name, new Config(new Akka.Configuration.Hocon.HoconRoot(value)));
            var connector = options.Get(CommonOptions.Connector);
            if (string.IsNullOrWhiteSpace(connector))
            {
                problems.Add(new ConfigurationProblem(options.Scope, CommonOptions.Connector,
                    "missing required option; set it to datagen, file, rest-lookup, http-sink, print or blackhole."));
                continue;
            }

            tables[name] = new TableDefinition(name, connector.Trim(), options);
        }

        return tables;
    }
}
