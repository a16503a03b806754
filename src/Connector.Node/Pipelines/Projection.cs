using Connector.Actors.Options;
using Connector.Actors.Schema;

namespace Connector.Node.Pipelines;

/// <summary>
/// A pipeline's <c>select</c>: dotted column paths, each optionally renamed with <c>as</c>, such as
/// <c>c.details.isActive as active</c>. A path through a null row yields null.
/// </summary>
internal sealed class Projection
{
    private readonly int[][] _paths;

    private Projection(RowType outputType, int[][] paths)
    {
        OutputType = outputType;
        _paths = paths;
    }

    public RowType OutputType { get; }

    /// <summary>Resolves the paths against the input columns; problems name the pipeline and the path.</summary>
    public static Projection? Create(IReadOnlyList<string> items, RowType input, string scope, List<ConfigurationProblem> problems)
    {
        var fields = new List<RowField>();
        var paths = new List<int[]>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var item in items)
        {
            var (path, alias) = SplitAlias(item);
            var parts = path.Split('.', StringSplitOptions.TrimEntries);
            var indexes = new int[parts.Length];
            DataType? type = DataType.Row(input);
            for (var i = 0; i < parts.Length && type is not null; i++)
            {
                var rowType = type.RowType;
                var index = rowType?.IndexOf(parts[i]) ?? -1;
                if (index < 0)
                {
                    var known = rowType is null ? "it is not a row" : "columns there: " + string.Join(", ", rowType.Fields.Select(f => f.Name));
                    problems.Add(new ConfigurationProblem(scope, "select", $"'{item}': '{parts[i]}' not found ({known})."));
                    type = null;
                    valid = false;
                    break;
                }

                indexes[i] = index;
                type = rowType!.Fields[index].Type;
            }

            if (type is null)
            {
                continue;
            }

            var name = alias ?? parts[^1];
            if (!names.Add(name))
            {
                problems.Add(new ConfigurationProblem(scope, "select", $"'{item}': output column '{name}' appears twice; rename one with 'as'."));
                valid = false;
                continue;
            }

            fields.Add(new RowField(name, type));
            paths.Add(indexes);
        }

        if (items.Count == 0)
        {
            problems.Add(new ConfigurationProblem(scope, "select", "the list is empty; remove select to keep every column."));
            valid = false;
        }

        return valid ? new Projection(new RowType(fields), paths.ToArray()) : null;
    }

    public Row Apply(Row row)
    {
        var values = new object?[_paths.Length];
        for (var i = 0; i < _paths.Length; i++)
        {
            object? value = row;
            foreach (var index in _paths[i])
            {
                value = value is Row nested ? nested.Values[index] : null;
            }

            values[i] = value;
        }

        return new Row(OutputType, values);
    }

    private static (string Path, string? Alias) SplitAlias(string item)
    {
        var words = item.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 3 && words[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            return (words[0], words[2]);
        }

        return (item.Trim(), null);
    }
}
