using System.Globalization;

namespace Connector.Actors.Options;

/// <summary>
/// Reads typed option values from a table's options, collecting every problem instead of stopping at the first,
/// and reports options that the catalog does not list, with the closest known name.
/// </summary>
internal sealed class OptionReader
{
    private readonly TableOptions _options;
    private readonly IReadOnlyList<OptionDescriptor> _catalog;
    private readonly List<ConfigurationProblem> _problems = [];

    public OptionReader(TableOptions options, IReadOnlyList<OptionDescriptor> catalog)
    {
        _options = options;
        _catalog = catalog;
    }

    public IReadOnlyList<ConfigurationProblem> Problems => _problems;

    public string TableName => _options.TableName;

    public string Scope => _options.Scope;

    public void AddProblem(string? option, string message) => _problems.Add(new ConfigurationProblem(Scope, option, message));

    public string? GetString(string name) => _options.Get(name);

    public string GetString(string name, string defaultValue) => _options.Get(name) ?? defaultValue;

    public string? Require(string name, string hint)
    {
        var value = _options.Get(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            AddProblem(name, $"missing required option; {hint}");
            return null;
        }

        return value;
    }

    public bool GetBoolean(string name, bool defaultValue) =>
        Parse(name, defaultValue, OptionValueParser.ParseBoolean);

    public int GetPositiveInt(string name, int defaultValue) =>
        Parse(name, defaultValue, OptionValueParser.ParsePositiveInt);

    public int GetNonNegativeInt(string name, int defaultValue) =>
        Parse(name, defaultValue, text =>
        {
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            throw new OptionFormatException($"Invalid value '{text}': expected a whole number of at least 0.");
        });

    public long GetByteSize(string name, long defaultValue) =>
        Parse(name, defaultValue, OptionValueParser.ParseByteSize);

    public TimeSpan GetDuration(string name, TimeSpan defaultValue, DurationUnit bareNumberUnit) =>
        Parse(name, defaultValue, text => FlinkDuration.Parse(text, bareNumberUnit));

    public TimeSpan? GetOptionalDuration(string name, DurationUnit bareNumberUnit) =>
        Parse<TimeSpan?>(name, null, text => FlinkDuration.Parse(text, bareNumberUnit));

    public double GetDouble(string name, double defaultValue, double minimum) =>
        Parse(name, defaultValue, text =>
        {
            if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) &&
                double.IsFinite(value) && value >= minimum)
            {
                return value;
            }

            throw new OptionFormatException(
                $"Invalid value '{text}': expected a number of at least {minimum.ToString(CultureInfo.InvariantCulture)}.");
        });

    /// <summary>Reads one of a fixed set of words; the error lists them.</summary>
    public T GetChoice<T>(string name, T defaultValue, IReadOnlyDictionary<string, T> choices)
    {
        var text = _options.Get(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (choices.TryGetValue(text.Trim(), out var value))
        {
            return value;
        }

        AddProblem(name, $"invalid value '{Display(name, text)}'; allowed values: {string.Join(", ", choices.Keys)}.");
        return defaultValue;
    }

    /// <summary>Returns every option whose name starts with a prefix, keyed by the rest of the name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GetFamily(string prefix) =>
        _options.Values
            .Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal) && pair.Key.Length > prefix.Length)
            .Select(pair => new KeyValuePair<string, string>(pair.Key[prefix.Length..], pair.Value))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Adds a problem for every option that the catalog does not list, suggesting the closest known name.</summary>
    public void ReportUnknownOptions()
    {
        var exact = _catalog.Where(o => !o.IsFamily).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var prefixes = _catalog.Where(o => o.IsFamily).Select(o => o.FamilyPrefix).ToArray();
        foreach (var name in _options.Values.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            if (exact.Contains(name) || prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length))
            {
                continue;
            }

            var suggestion = NameSuggestion.Closest(name, exact.Concat(prefixes.Select(p => p + "<Name>")));
            var hint = suggestion is null
                ? "run the node's 'options' command for the list of options."
                : $"did you mean '{suggestion}'?";
            if (name == "buffer-capacity")
            {
                hint = "buffer-capacity belongs to a lookup, not to a table. Set it in the pipeline's lookup step, such as " +
                    "lookups = [ { table = customers, buffer-capacity = 100, on { id = id } } ].";
            }
            AddProblem(name, $"unknown option; {hint}");
        }
    }

    /// <summary>Returns a value fit for a message: secret values are replaced by a placeholder.</summary>
    public string Display(string name, string value) => IsSecret(name) ? "(hidden)" : value;

    /// <summary>True for options whose values are credentials.</summary>
    public bool IsSecret(string name) =>
        _catalog.Any(o => o.IsSecret && o.Name == name) || SecretNames.IsSecretOption(name);

    private T Parse<T>(string name, T defaultValue, Func<string, T> parse)
    {
        var text = _options.Get(name);
        if (text is null)
        {
            return defaultValue;
        }

        try
        {
            return parse(text);
        }
        catch (FormatException exception)
        {
            var message = IsSecret(name) ? "invalid value (hidden because the option is secret)." : exception.Message;
            AddProblem(name, message);
            return defaultValue;
        }
    }
}
