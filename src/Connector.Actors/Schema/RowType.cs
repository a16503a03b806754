using System.Collections.Frozen;

namespace Connector.Actors.Schema;

/// <summary>An ordered list of uniquely named fields, with a name-to-index lookup for decoding.</summary>
public sealed class RowType
{
    private readonly FrozenDictionary<string, int> _indexByName;
    private System.Text.Json.JsonEncodedText[]? _jsonNames;
    private byte[][]? _jsonPropertyPrefixes;

    /// <summary>Creates a row type; field names must be unique.</summary>
    public RowType(IReadOnlyList<RowField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            if (!index.TryAdd(fields[i].Name, i))
            {
                throw new ArgumentException($"Duplicate column name '{fields[i].Name}'.", nameof(fields));
            }
        }

        Fields = fields;
        _indexByName = index.ToFrozenDictionary(StringComparer.Ordinal);
        PhysicalCount = fields.Count(f => !f.IsMetadata);
    }

    /// <summary>The fields in declaration order.</summary>
    public IReadOnlyList<RowField> Fields { get; }

    /// <summary>The number of fields.</summary>
    public int Count => Fields.Count;

    /// <summary>The number of fields that are not metadata columns.</summary>
    public int PhysicalCount { get; }

    /// <summary>The field names escaped once for <see cref="RowJsonWriter"/>, built on first use.</summary>
    internal System.Text.Json.JsonEncodedText[] JsonNames => _jsonNames ??= RowJsonWriter.EncodeNames(this);

    /// <summary>The bytes before each field's value in <see cref="RowJsonAppender"/>'s output, built on first use.</summary>
    internal byte[][] JsonPropertyPrefixes => _jsonPropertyPrefixes ??= RowJsonAppender.EncodePropertyPrefixes(this);

    /// <summary>Gets the field at an index.</summary>
    public RowField this[int index] => Fields[index];

    /// <summary>Returns the index of a field by exact name, or -1.</summary>
    public int IndexOf(string name) => _indexByName.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Returns the index of a field by name, or -1, without allocating a string.</summary>
    public int IndexOf(ReadOnlySpan<char> name) =>
        _indexByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var index) ? index : -1;

    /// <summary>Creates a row type from name and type pairs.</summary>
    public static RowType Of(params (string Name, DataType Type)[] fields) =>
        new(fields.Select(f => new RowField(f.Name, f.Type)).ToArray());

    /// <summary>Returns the fields in Flink's column list syntax.</summary>
    public override string ToString() => string.Join(", ", Fields);
}
