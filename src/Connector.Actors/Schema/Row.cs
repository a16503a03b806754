namespace Connector.Actors.Schema;

/// <summary>
/// A row of values laid out by a <see cref="Schema.RowType"/>: one slot per field, in field order.
/// Values use the CLR types listed on <see cref="TypeKind"/>; a null slot is SQL NULL.
/// </summary>
public sealed class Row
{
    /// <summary>Creates a row over an existing value array, which the row takes ownership of.</summary>
    public Row(RowType type, object?[] values)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != type.Count)
        {
            throw new ArgumentException($"Expected {type.Count} values for row type <{type}>, got {values.Length}.", nameof(values));
        }

        Type = type;
        Values = values;
    }

    /// <summary>The row's type.</summary>
    public RowType Type { get; }

    /// <summary>The values in field order.</summary>
    public object?[] Values { get; }

    /// <summary>Gets the value at a field index.</summary>
    public object? this[int index] => Values[index];

    /// <summary>Gets the value of a field by name.</summary>
    public object? this[string name]
    {
        get
        {
            var index = Type.IndexOf(name);
            if (index < 0)
            {
                throw new KeyNotFoundException($"Row type <{Type}> has no column '{name}'.");
            }

            return Values[index];
        }
    }

    /// <summary>Creates a row with every value null.</summary>
    public static Row Nulls(RowType type) => new(type, new object?[type.Count]);

    /// <summary>Returns the row as compact JSON, for logs and tests.</summary>
    public override string ToString() => RowJsonWriter.ToJsonString(this);
}
