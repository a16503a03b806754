using System.Globalization;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Node.Tables;

/// <summary>
/// The <c>datagen</c> source: rows at <c>rows-per-second</c>, ending after <c>number-of-rows</c> or when the
/// shortest sequence ends, and running until the node stops otherwise.
/// </summary>
internal sealed class DatagenTable : SourceTable
{
    private readonly FieldGenerator[] _generators;
    private readonly long? _rowCount;
    private readonly int _rowsPerSecond;

    private DatagenTable(string name, RowType columns, FieldGenerator[] generators, long? rowCount, int rowsPerSecond)
        : base(name, columns)
    {
        _generators = generators;
        _rowCount = rowCount;
        _rowsPerSecond = rowsPerSecond;
    }

    public override bool IsBounded => _rowCount is not null;

    /// <summary>The number of rows the source yields, or null when it is unbounded.</summary>
    public long? RowCount => _rowCount;

    public static DatagenTable? Create(TableOptions options, RowType? columns, List<ConfigurationProblem> problems)
    {
        var reader = new OptionReader(options, NodeConnectorOptions.DatagenOptions);
        var rowsPerSecond = reader.GetPositiveInt(NodeConnectorOptions.RowsPerSecond, 10_000);
        long? rowCount = null;
        var rowCountText = reader.GetString(NodeConnectorOptions.NumberOfRows);
        if (rowCountText is not null)
        {
            if (long.TryParse(rowCountText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0)
            {
                rowCount = parsed;
            }
            else
            {
                reader.AddProblem(NodeConnectorOptions.NumberOfRows, $"invalid value '{rowCountText}'; expected a whole number of at least 0.");
            }
        }

        var generators = new List<FieldGenerator>();
        if (columns is not null)
        {
            CheckFieldOptions(reader, options, columns);
            var sequenceLengths = new List<decimal>();
            foreach (var field in columns.Fields)
            {
                generators.Add(CreateGenerator(reader, "fields." + field.Name, field.Type, sequenceLengths));
            }

            // Every sequence, nested ones included, ends the source when it runs out of values.
            foreach (var sequenceLength in sequenceLengths)
            {
                var length = (long)Math.Min(sequenceLength, long.MaxValue);
                rowCount = rowCount is null ? length : Math.Min(rowCount.Value, length);
            }
        }

        reader.ReportUnknownOptions();
        problems.AddRange(reader.Problems);
        return reader.Problems.Count == 0 && columns is not null
            ? new DatagenTable(options.TableName, columns, generators.ToArray(), rowCount, rowsPerSecond)
            : null;
    }

    public override Source<Row, NotUsed> CreateSource()
    {
        var random = new Random();
        var indexes = _rowCount is { } count
            ? Source.From(LongRange(count))
            : Source.From(LongRange(long.MaxValue));
        return indexes
            .Throttle(_rowsPerSecond, TimeSpan.FromSeconds(1), Math.Max(1, _rowsPerSecond / 10), ThrottleMode.Shaping)
            .Select(index => CreateRow(index, random))
            .Named("datagen-" + Name);
    }

    private Row CreateRow(long index, Random random)
    {
        var values = new object?[_generators.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _generators[i].Next(index, random);
        }

        return new Row(Columns, values);
    }

    private static IEnumerable<long> LongRange(long count)
    {
        for (long i = 0; i < count; i++)
        {
            yield return i;
        }
    }

    private static void CheckFieldOptions(OptionReader reader, TableOptions options, RowType columns)
    {
        foreach (var name in options.Values.Keys.Where(k => k.StartsWith("fields.", StringComparison.Ordinal)))
        {
            var rest = name["fields.".Length..];
            var lastDot = rest.LastIndexOf('.');
            var path = lastDot < 0 ? rest : rest[..lastDot];
            var option = lastDot < 0 ? string.Empty : rest[(lastDot + 1)..];
            if (ResolveField(columns, path) is null)
            {
                reader.AddProblem(name, $"'{path}' is not a column; columns: {string.Join(", ", columns.Fields.Select(f => f.Name))}.");
            }
            else if (!NodeConnectorOptions.DatagenFieldOptions.ContainsKey(option))
            {
                var suggestion = NameSuggestionFor(option);
                reader.AddProblem(name, $"unknown field option '{option}'; " +
                    (suggestion is null ? $"known: {string.Join(", ", NodeConnectorOptions.DatagenFieldOptions.Keys)}." : $"did you mean '{suggestion}'?"));
            }
        }
    }

    private static string? NameSuggestionFor(string option) =>
        NameSuggestion.Closest(option, NodeConnectorOptions.DatagenFieldOptions.Keys);

    private static DataType? ResolveField(RowType columns, string path)
    {
        var type = (DataType?)DataType.Row(columns);
        foreach (var part in path.Split('.'))
        {
            var index = type?.RowType?.IndexOf(part) ?? -1;
            type = index < 0 ? null : type!.RowType![index].Type;
        }

        return type;
    }

    private static FieldGenerator CreateGenerator(OptionReader reader, string prefix, DataType type, List<decimal> sequenceLengths)
    {
        var kindOption = prefix + ".kind";
        var kind = reader.GetString(kindOption)?.Trim().ToLowerInvariant() ?? "random";
        if (kind is not ("random" or "sequence"))
        {
            reader.AddProblem(kindOption, $"invalid value '{kind}'; allowed values: sequence, random.");
            kind = "random";
        }

        var nested = new Dictionary<string, FieldGenerator>(StringComparer.Ordinal);
        if (type.Kind == TypeKind.Row)
        {
            foreach (var field in type.RowType!.Fields)
            {
                nested[field.Name] = CreateGenerator(reader, prefix + "." + field.Name, field.Type, sequenceLengths);
            }
        }

        var options = new FieldGeneratorOptions(
            kind == "sequence",
            ReadDecimal(reader, prefix + ".start", 0),
            ReadDecimal(reader, prefix + ".end", 0),
            ReadOptionalDouble(reader, prefix + ".min"),
            ReadOptionalDouble(reader, prefix + ".max"),
            reader.GetString(prefix + ".length") is null ? null : reader.GetPositiveInt(prefix + ".length", 100),
            reader.GetDuration(prefix + ".max-past", TimeSpan.Zero, DurationUnit.Milliseconds),
            reader.GetDouble(prefix + ".null-rate", 0, minimum: 0));

        CheckIntegerRange(reader, prefix, type.Kind, options);
        if (options.IsSequence)
        {
            if (type.Kind is not (TypeKind.String or TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt or TypeKind.Float or TypeKind.Double or TypeKind.Decimal))
            {
                reader.AddProblem(kindOption, $"a sequence cannot generate {type}; use kind = random or a number or STRING column.");
            }
            else if (reader.GetString(prefix + ".start") is null || reader.GetString(prefix + ".end") is null)
            {
                reader.AddProblem(kindOption, $"a sequence needs {prefix}.start and {prefix}.end.");
            }
            else if (options.End < options.Start)
            {
                reader.AddProblem(prefix + ".end", $"the end {options.End} is smaller than the start {options.Start}.");
            }
        }

        if (options.Min is { } min && options.Max is { } max && max < min)
        {
            reader.AddProblem(prefix + ".max", $"the max {max} is smaller than the min {min}.");
        }

        if (options.NullRate > 1)
        {
            reader.AddProblem(prefix + ".null-rate", $"invalid value {options.NullRate}; expected a share from 0 to 1.");
        }

        var generator = new FieldGenerator(type, options, nested);
        if (generator.IsSequence)
        {
            sequenceLengths.Add(generator.SequenceLength);
        }

        return generator;
    }

    /// <summary>
    /// Reports a sequence start or end, or a random min or max, that is not a whole number in a TINYINT, SMALLINT, INT or
    /// BIGINT column's range. Without the check, the generator would emit values outside the range, truncate a
    /// fractional bound, or fail while the pipeline runs.
    /// </summary>
    private static void CheckIntegerRange(OptionReader reader, string prefix, TypeKind kind, FieldGeneratorOptions options)
    {
        if (kind is not (TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int or TypeKind.BigInt))
        {
            return;
        }

        var bounds = new List<(string Name, double Value, bool IsWhole, bool InRange)>();
        if (options.IsSequence)
        {
            bounds.Add(("start", (double)options.Start, decimal.Truncate(options.Start) == options.Start, IsInRange(kind, options.Start)));
            bounds.Add(("end", (double)options.End, decimal.Truncate(options.End) == options.End, IsInRange(kind, options.End)));
        }

        if (options.Min is { } min)
        {
            bounds.Add(("min", min, Math.Floor(min) == min, IsInRange(kind, min)));
        }

        if (options.Max is { } max)
        {
            bounds.Add(("max", max, Math.Floor(max) == max, IsInRange(kind, max)));
        }

        var typeName = kind.ToString().ToUpperInvariant();
        foreach (var (name, value, isWhole, inRange) in bounds)
        {
            var option = prefix + "." + name;
            var text = reader.GetString(option)?.Trim() ?? value.ToString(CultureInfo.InvariantCulture);
            if (!isWhole)
            {
                reader.AddProblem(option, $"the {name} {text} is not a whole number, but the {typeName} column needs one.");
            }
            else if (!inRange)
            {
                reader.AddProblem(option, $"the {name} {text} is outside {DescribeRange(kind)}.");
            }
        }
    }

    private static bool IsInRange(TypeKind kind, decimal value) =>
        kind == TypeKind.BigInt ? value >= long.MinValue && value <= long.MaxValue : IntegerRange.Contains(kind, (double)value);

    // 2^63 is the first double above the BIGINT range, and long.MaxValue converts to it, so the upper check is strict.
    private static bool IsInRange(TypeKind kind, double value) =>
        kind == TypeKind.BigInt ? value >= long.MinValue && value < 9223372036854775808.0 : IntegerRange.Contains(kind, value);

    private static string DescribeRange(TypeKind kind) =>
        kind == TypeKind.BigInt
            ? string.Create(CultureInfo.InvariantCulture, $"the BIGINT range {long.MinValue} to {long.MaxValue}")
            : IntegerRange.Describe(kind);

    private static decimal ReadDecimal(OptionReader reader, string name, decimal defaultValue)
    {
        var text = reader.GetString(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        reader.AddProblem(name, $"invalid value '{text}'; expected a number.");
        return defaultValue;
    }

    private static double? ReadOptionalDouble(OptionReader reader, string name) =>
        reader.GetString(name) is null ? null : reader.GetDouble(name, 0, double.MinValue);
}
