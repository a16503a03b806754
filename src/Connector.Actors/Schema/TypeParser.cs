using System.Globalization;

namespace Connector.Actors.Schema;

/// <summary>
/// Parses column lists and types in Flink's SQL type syntax, such as
/// <c>id STRING, details ROW&lt;isActive BOOLEAN, balance DECIMAL(10, 2)&gt; NOT NULL</c>.
/// Metadata columns are written <c>name TYPE METADATA FROM 'key'</c>.
/// </summary>
public static class TypeParser
{
    /// <summary>Parses a comma-separated column list into a row type.</summary>
    /// <exception cref="TypeSyntaxException">The text is not a valid column list.</exception>
    public static RowType ParseColumns(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var cursor = new Cursor(text);
        var fields = ParseFieldList(ref cursor, closing: null, allowMetadata: true);
        cursor.SkipWhitespace();
        if (!cursor.AtEnd)
        {
            throw cursor.Error("expected ',' or the end of the column list");
        }

        return fields;
    }

    /// <summary>Parses a single type.</summary>
    /// <exception cref="TypeSyntaxException">The text is not a valid type.</exception>
    public static DataType ParseType(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var cursor = new Cursor(text);
        var type = ParseTypeAt(ref cursor);
        cursor.SkipWhitespace();
        if (!cursor.AtEnd)
        {
            throw cursor.Error("unexpected text after the type");
        }

        return type;
    }

    private static RowType ParseFieldList(ref Cursor cursor, char? closing, bool allowMetadata)
    {
        var fields = new List<RowField>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            cursor.SkipWhitespace();
            if (closing is not null && cursor.Peek() == closing && fields.Count == 0)
            {
                break;
            }

            var nameStart = cursor.Position;
            var name = cursor.ReadIdentifier() ?? throw cursor.Error("expected a column name");
            if (!names.Add(name))
            {
                throw new TypeSyntaxException($"Duplicate column name '{name}' at position {nameStart + 1} in '{cursor.Text}'.");
            }

            var type = ParseTypeAt(ref cursor);
            string? metadataKey = null;
            cursor.SkipWhitespace();
            if (cursor.TryKeyword("METADATA"))
            {
                if (!allowMetadata)
                {
                    throw cursor.Error("metadata columns are allowed only at the top level of a column list");
                }

                metadataKey = ParseMetadataClause(ref cursor);
            }

            fields.Add(new RowField(name, type, metadataKey));
            cursor.SkipWhitespace();
            if (cursor.Peek() == ',')
            {
                cursor.Advance();
                continue;
            }

            break;
        }

        if (fields.Count == 0)
        {
            throw cursor.Error("expected at least one column");
        }

        return new RowType(fields);
    }

    private static string ParseMetadataClause(ref Cursor cursor)
    {
        if (!cursor.TryKeyword("FROM"))
        {
            throw cursor.Error("expected FROM 'key' after METADATA");
        }

        cursor.SkipWhitespace();
        if (cursor.Peek() != '\'')
        {
            throw cursor.Error("expected a quoted metadata key such as 'http-status-code'");
        }

        cursor.Advance();
        var start = cursor.Position;
        while (!cursor.AtEnd && cursor.Peek() != '\'')
        {
            cursor.Advance();
        }

        if (cursor.AtEnd)
        {
            throw cursor.Error("unterminated metadata key");
        }

        var key = cursor.Text[start..cursor.Position];
        cursor.Advance();
        cursor.SkipWhitespace();
        cursor.TryKeyword("VIRTUAL");
        return key;
    }

    private static DataType ParseTypeAt(ref Cursor cursor)
    {
        cursor.SkipWhitespace();
        var start = cursor.Position;
        var word = cursor.ReadIdentifier()?.ToUpperInvariant() ?? throw cursor.Error("expected a type name");
        DataType type = word switch
        {
            "STRING" => DataType.Scalar(TypeKind.String),
            "VARCHAR" or "CHAR" => DataType.Scalar(TypeKind.String, precision: ParseOptionalLength(ref cursor, word)),
            "BOOLEAN" => DataType.Scalar(TypeKind.Boolean),
            "TINYINT" => DataType.Scalar(TypeKind.TinyInt),
            "SMALLINT" => DataType.Scalar(TypeKind.SmallInt),
            "INT" or "INTEGER" => DataType.Scalar(TypeKind.Int),
            "BIGINT" => DataType.Scalar(TypeKind.BigInt),
            "FLOAT" => DataType.Scalar(TypeKind.Float),
            "DOUBLE" => ParseDouble(ref cursor),
            "DECIMAL" or "DEC" or "NUMERIC" => ParseDecimal(ref cursor),
            "DATE" => DataType.Scalar(TypeKind.Date),
            "TIME" => DataType.Scalar(TypeKind.Time, precision: ParsePrecision(ref cursor, word, 0, 0, 9)),
            "TIMESTAMP" => DataType.Scalar(TypeKind.Timestamp, precision: ParsePrecision(ref cursor, word, 6, 0, 9)),
            "TIMESTAMP_LTZ" => DataType.Scalar(TypeKind.TimestampLtz, precision: ParsePrecision(ref cursor, word, 6, 0, 9)),
            "BYTES" => DataType.Scalar(TypeKind.Bytes),
            "VARBINARY" or "BINARY" => DataType.Scalar(TypeKind.Bytes, precision: ParseOptionalLength(ref cursor, word)),
            "ARRAY" => DataType.Array(ParseSingleArgument(ref cursor, word)),
            "MAP" => ParseMap(ref cursor),
            "ROW" => ParseRow(ref cursor),
            _ => throw new TypeSyntaxException(
                $"Unknown type '{cursor.Text[start..cursor.Position]}' at position {start + 1} in '{cursor.Text}'. " +
                "Supported types: STRING, VARCHAR(n), CHAR(n), BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, " +
                "DECIMAL(p, s), DATE, TIME(p), TIMESTAMP(p), TIMESTAMP_LTZ(p), BYTES, ARRAY<T>, MAP<K, V>, ROW<name T, ...>."),
        };

        cursor.SkipWhitespace();
        if (cursor.TryKeyword("NOT"))
        {
            if (!cursor.TryKeyword("NULL"))
            {
                throw cursor.Error("expected NULL after NOT");
            }

            return type.WithNullable(false);
        }

        cursor.TryKeyword("NULL");
        return type;
    }

    private static DataType ParseDouble(ref Cursor cursor)
    {
        var save = cursor.Position;
        if (!cursor.TryKeyword("PRECISION"))
        {
            cursor.Position = save;
        }

        return DataType.Scalar(TypeKind.Double);
    }

    private static DataType ParseDecimal(ref Cursor cursor)
    {
        cursor.SkipWhitespace();
        if (cursor.Peek() != '(')
        {
            return DataType.Scalar(TypeKind.Decimal, precision: 10, scale: 0);
        }

        cursor.Advance();
        cursor.SkipWhitespace();
        var precisionStart = cursor.Position;
        var precision = cursor.ReadInteger() ?? throw cursor.Error("expected the DECIMAL precision");
        var scale = 0;
        var scaleStart = precisionStart;
        cursor.SkipWhitespace();
        if (cursor.Peek() == ',')
        {
            cursor.Advance();
            cursor.SkipWhitespace();
            scaleStart = cursor.Position;
            scale = cursor.ReadInteger() ?? throw cursor.Error("expected the DECIMAL scale");
        }

        cursor.Expect(')');
        if (precision is < 1 or > 38)
        {
            throw cursor.ErrorAt(precisionStart, $"DECIMAL precision {precision} is out of range 1..38");
        }

        if (scale < 0 || scale > precision)
        {
            throw cursor.ErrorAt(scaleStart, $"DECIMAL scale {scale} must be between 0 and the precision {precision}");
        }

        return DataType.Scalar(TypeKind.Decimal, precision: precision, scale: scale);
    }

    private static int ParsePrecision(ref Cursor cursor, string typeName, int defaultValue, int min, int max)
    {
        cursor.SkipWhitespace();
        if (cursor.Peek() != '(')
        {
            return defaultValue;
        }

        cursor.Advance();
        cursor.SkipWhitespace();
        var valueStart = cursor.Position;
        var value = cursor.ReadInteger() ?? throw cursor.Error($"expected the {typeName} precision");
        cursor.Expect(')');
        if (value < min || value > max)
        {
            throw cursor.ErrorAt(valueStart, $"{typeName} precision {value} is out of range {min}..{max}");
        }

        return value;
    }

    private static int ParseOptionalLength(ref Cursor cursor, string typeName)
    {
        cursor.SkipWhitespace();
        if (cursor.Peek() != '(')
        {
            return 0;
        }

        cursor.Advance();
        var value = cursor.ReadInteger() ?? throw cursor.Error($"expected the {typeName} length");
        cursor.Expect(')');
        if (value < 1)
        {
            throw cursor.Error($"{typeName} length must be at least 1");
        }

        return value;
    }

    private static DataType ParseSingleArgument(ref Cursor cursor, string typeName)
    {
        cursor.SkipWhitespace();
        if (cursor.Peek() != '<')
        {
            throw cursor.Error($"expected '<' after {typeName}");
        }

        cursor.Advance();
        var element = ParseTypeAt(ref cursor);
        cursor.Expect('>');
        return element;
    }

    private static DataType ParseMap(ref Cursor cursor)
    {
        cursor.SkipWhitespace();
        if (cursor.Peek() != '<')
        {
            throw cursor.Error("expected '<' after MAP");
        }

        cursor.Advance();
        var key = ParseTypeAt(ref cursor);
        cursor.Expect(',');
        var value = ParseTypeAt(ref cursor);
        cursor.Expect('>');
        return DataType.Map(key, value);
    }

    private static DataType ParseRow(ref Cursor cursor)
    {
        cursor.SkipWhitespace();
        char closing;
        if (cursor.Peek() == '<')
        {
            closing = '>';
        }
        else if (cursor.Peek() == '(')
        {
            closing = ')';
        }
        else
        {
            throw cursor.Error("expected '<' after ROW");
        }

        cursor.Advance();
        var rowType = ParseFieldList(ref cursor, closing, allowMetadata: false);
        cursor.Expect(closing);
        return DataType.Row(rowType);
    }

    private struct Cursor(string text)
    {
        public string Text { get; } = text;

        public int Position { get; set; }

        public readonly bool AtEnd => Position >= Text.Length;

        public readonly char Peek() => AtEnd ? '\0' : Text[Position];

        public void Advance() => Position++;

        public void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(Text[Position]))
            {
                Position++;
            }
        }

        public string? ReadIdentifier()
        {
            SkipWhitespace();
            if (Peek() == '`')
            {
                var close = Text.IndexOf('`', Position + 1);
                if (close < 0)
                {
                    throw Error("unterminated quoted name");
                }

                var quoted = Text[(Position + 1)..close];
                Position = close + 1;
                return quoted;
            }

            var start = Position;
            while (!AtEnd && (char.IsLetterOrDigit(Text[Position]) || Text[Position] is '_' or '$'))
            {
                Position++;
            }

            return Position == start ? null : Text[start..Position];
        }

        public int? ReadInteger()
        {
            SkipWhitespace();
            var start = Position;
            while (!AtEnd && char.IsAsciiDigit(Text[Position]))
            {
                Position++;
            }

            if (Position == start)
            {
                return null;
            }

            return int.TryParse(Text.AsSpan(start, Position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Error("number is too large");
        }

        public bool TryKeyword(string keyword)
        {
            SkipWhitespace();
            if (Position + keyword.Length > Text.Length ||
                !Text.AsSpan(Position, keyword.Length).Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            var end = Position + keyword.Length;
            if (end < Text.Length && (char.IsLetterOrDigit(Text[end]) || Text[end] == '_'))
            {
                return false;
            }

            Position = end;
            return true;
        }

        public void Expect(char expected)
        {
            SkipWhitespace();
            if (Peek() != expected)
            {
                throw Error($"expected '{expected}'");
            }

            Position++;
        }

        public readonly TypeSyntaxException Error(string problem) => ErrorAt(Position, problem);

        /// <summary>Creates an error that points at an earlier position, such as the start of an out-of-range number.</summary>
        public readonly TypeSyntaxException ErrorAt(int position, string problem)
        {
            var found = position >= Text.Length ? "the end of the text" : $"'{Text[position]}'";
            return new TypeSyntaxException($"Invalid type syntax at position {position + 1} ({found}) in '{Text}': {problem}.");
        }
    }
}
