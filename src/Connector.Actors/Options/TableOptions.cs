using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Connector.Actors.Options;

/// <summary>
/// The options of one table as flat dotted names and text values, read from a HOCON object in which
/// quoted dotted keys (<c>"http.source.lookup.request.timeout" = 5s</c>) and nested paths are equivalent.
/// </summary>
public sealed class TableOptions
{
    /// <summary>Creates options from flat names and values.</summary>
    public TableOptions(string tableName, IReadOnlyDictionary<string, string> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        ArgumentNullException.ThrowIfNull(values);

        TableName = tableName;
        Values = values;
    }

    /// <summary>The table's name in the configuration.</summary>
    public string TableName { get; }

    /// <summary>The flat option names and their text values.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The scope that problems with these options are reported under.</summary>
    public string Scope => $"table '{TableName}'";

    /// <summary>Reads a table's options from its HOCON object.</summary>
    public static TableOptions FromConfig(string tableName, Config config)
    {
        ArgumentNullException.ThrowIfNull(config);

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!config.IsEmpty)
        {
            Flatten(config.Root, prefix: null, values);
        }

        return new TableOptions(tableName, values);
    }

    /// <summary>Reads options from a dictionary, as a table built in code would declare them.</summary>
    public static TableOptions FromDictionary(string tableName, IEnumerable<KeyValuePair<string, string>> values) =>
        new(tableName, values.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));

    /// <summary>Gets an option's value, or null when it is not set.</summary>
    public string? Get(string name) => Values.TryGetValue(name, out var value) ? value : null;

    private static void Flatten(HoconValue value, string? prefix, Dictionary<string, string> values)
    {
        if (value.IsObject())
        {
            foreach (var (key, child) in value.GetObject().Items)
            {
                Flatten(child, prefix is null ? key : prefix + "." + key, values);
            }

            return;
        }

        if (prefix is null)
        {
            return;
        }

        if (value.IsArray())
        {
            // Lists are accepted where Flink takes a comma-separated value, such as status code lists.
            values[prefix] = string.Join(",", value.GetArray().Select(item => item.GetString()));
            return;
        }

        values[prefix] = value.IsEmpty ? string.Empty : value.GetString() ?? string.Empty;
    }
}
