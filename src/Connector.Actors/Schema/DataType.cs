using System.Text;

namespace Connector.Actors.Schema;

/// <summary>A column type in Flink's SQL type syntax, with its nullability and nested types.</summary>
public sealed class DataType
{
    private DataType(TypeKind kind, bool nullable, int precision, int scale, DataType? element, DataType? key, RowType? rowType)
    {
        Kind = kind;
        IsNullable = nullable;
        Precision = precision;
        Scale = scale;
        ElementType = element;
        KeyType = key;
        RowType = rowType;
    }

    /// <summary>The type family.</summary>
    public TypeKind Kind { get; }

    /// <summary>False when the type was declared <c>NOT NULL</c>.</summary>
    public bool IsNullable { get; }

    /// <summary>The precision of <c>DECIMAL</c>, <c>TIME</c> and <c>TIMESTAMP</c> types, or the length of text types.</summary>
    public int Precision { get; }

    /// <summary>The scale of a <c>DECIMAL</c> type.</summary>
    public int Scale { get; }

    /// <summary>The element type of an <c>ARRAY</c>, or the value type of a <c>MAP</c>.</summary>
    public DataType? ElementType { get; }

    /// <summary>The key type of a <c>MAP</c>.</summary>
    public DataType? KeyType { get; }

    /// <summary>The fields of a <c>ROW</c>.</summary>
    public RowType? RowType { get; }

    /// <summary>Creates a scalar type.</summary>
    public static DataType Scalar(TypeKind kind, bool nullable = true, int precision = 0, int scale = 0)
    {
        if (kind is TypeKind.Array or TypeKind.Map or TypeKind.Row)
        {
            throw new ArgumentException($"{kind} is not a scalar type.", nameof(kind));
        }

        return new DataType(kind, nullable, precision, scale, null, null, null);
    }

    /// <summary>Creates an <c>ARRAY</c> type.</summary>
    public static DataType Array(DataType element, bool nullable = true) =>
        new(TypeKind.Array, nullable, 0, 0, element, null, null);

    /// <summary>Creates a <c>MAP</c> type.</summary>
    public static DataType Map(DataType key, DataType value, bool nullable = true) =>
        new(TypeKind.Map, nullable, 0, 0, value, key, null);

    /// <summary>Creates a <c>ROW</c> type.</summary>
    public static DataType Row(RowType rowType, bool nullable = true) =>
        new(TypeKind.Row, nullable, 0, 0, null, null, rowType);

    /// <summary>Returns this type with the given nullability.</summary>
    public DataType WithNullable(bool nullable) =>
        nullable == IsNullable ? this : new DataType(Kind, nullable, Precision, Scale, ElementType, KeyType, RowType);

    /// <summary>Returns the type in Flink's SQL syntax.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        switch (Kind)
        {
            case TypeKind.Decimal:
                text.Append("DECIMAL(").Append(Precision).Append(", ").Append(Scale).Append(')');
                break;
            case TypeKind.Timestamp:
                text.Append("TIMESTAMP(").Append(Precision).Append(')');
                break;
            case TypeKind.TimestampLtz:
                text.Append("TIMESTAMP_LTZ(").Append(Precision).Append(')');
                break;
            case TypeKind.Time:
                text.Append("TIME(").Append(Precision).Append(')');
                break;
            case TypeKind.Array:
                text.Append("ARRAY<").Append(ElementType).Append('>');
                break;
            case TypeKind.Map:
                text.Append("MAP<").Append(KeyType).Append(", ").Append(ElementType).Append('>');
                break;
            case TypeKind.Row:
                text.Append("ROW<").Append(RowType).Append('>');
                break;
            default:
                text.Append(Kind.ToString().ToUpperInvariant());
                break;
        }

        if (!IsNullable)
        {
            text.Append(" NOT NULL");
        }

        return text.ToString();
    }
}
