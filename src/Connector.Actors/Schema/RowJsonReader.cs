using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Connector.Actors.Schema;

/// <summary>
/// Decodes JSON into rows by column name, reading UTF-8 directly without building a document.
/// Missing fields are null, unknown fields are skipped, and metadata columns are left for the caller.
/// Scalars are converted leniently the way Flink's JSON format does: a number is accepted for a text
/// column and numeric text for a number column.
/// </summary>
public static class RowJsonReader
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd",
    ];

    /// <summary>Decodes every row in a JSON body: an object gives one row, an array one row per non-null element.</summary>
    /// <param name="json">The UTF-8 body.</param>
    /// <param name="type">The columns to decode.</param>
    /// <param name="requireArray">True when the body must be an array, as for the <c>array</c> result type.</param>
    /// <param name="failOnMissingField">True to reject an object that lacks a physical column.</param>
    /// <exception cref="RowDecodeException">The body is not valid JSON of the expected shape.</exception>
    public static List<Row> ReadRows(ReadOnlySpan<byte> json, RowType type, bool requireArray, bool failOnMissingField)
    {
        var rows = new List<Row>(1);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read())
            {
                return rows;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    rows.Add(ReadRow(ref reader, type, failOnMissingField, path: "$[]"));
                }
            }
            else if (requireArray)
            {
                throw new RowDecodeException($"Expected a JSON array for the 'array' result type, found {Describe(reader.TokenType)}.");
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                rows.Add(ReadRow(ref reader, type, failOnMissingField, path: "$"));
            }

            if (reader.Read())
            {
                throw new RowDecodeException($"Unexpected {Describe(reader.TokenType)} after the end of the JSON value.");
            }
        }
        catch (JsonException exception)
        {
            throw new RowDecodeException($"Invalid JSON: {exception.Message}", exception);
        }

        return rows;
    }

    /// <summary>Decodes one JSON object at the reader's current <see cref="JsonTokenType.StartObject"/> token.</summary>
    public static Row ReadRow(ref Utf8JsonReader reader, RowType type, bool failOnMissingField, string path = "$")
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RowDecodeException($"Expected a JSON object at {path}, found {Describe(reader.TokenType)}.");
        }

        var values = new object?[type.Count];
        var seen = failOnMissingField ? new bool[type.Count] : null;
        Span<char> nameBuffer = stackalloc char[128];
        var index = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            index = FindField(ref reader, type, index + 1, nameBuffer);
            reader.Read();
            if (index < 0 || type[index].IsMetadata)
            {
                reader.Skip();
                continue;
            }

            var field = type[index];
            values[index] = ReadValue(ref reader, field.Type, path, field.Name);
            if (seen is not null)
            {
                seen[index] = true;
            }
        }

        if (seen is not null)
        {
            for (var i = 0; i < type.Count; i++)
            {
                if (!seen[i] && !type[i].IsMetadata)
                {
                    throw new RowDecodeException(
                        $"Missing field '{type[i].Name}' at {path}; set json.fail-on-missing-field = false to read it as null.");
                }
            }
        }

        return new Row(type, values);
    }

    /// <summary>Returns the index of the property name's column, trying <paramref name="expected"/> first.</summary>
    private static int FindField(ref Utf8JsonReader reader, RowType type, int expected, scoped Span<char> buffer)
    {
        // Bodies usually list the fields in column order, so the column after the previous one is compared first,
        // byte for byte. A name that needs escaping never matches its escaped form here and takes the lookup below.
        var names = type.JsonNames;
        if (!reader.ValueIsEscaped && (uint)expected < (uint)names.Length && reader.ValueSpan.SequenceEqual(names[expected].EncodedUtf8Bytes))
        {
            return expected;
        }

        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= buffer.Length)
        {
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, buffer);
            return type.IndexOf(buffer[..length]);
        }

        return type.IndexOf(reader.GetString()!);
    }

    /// <summary>Decodes one JSON value of a column type at the reader's current token.</summary>
    public static object? ReadValue(ref Utf8JsonReader reader, DataType type, string path) => ReadValue(ref reader, type, path, null);

    /// <summary>
    /// Decodes one JSON value. Its path is <paramref name="path"/> followed by <c>.fieldName</c> when a field name is
    /// given, and that text is built only for an error message or a nested value.
    /// </summary>
    private static object? ReadValue(ref Utf8JsonReader reader, DataType type, string path, string? fieldName)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        try
        {
            return type.Kind switch
            {
                TypeKind.String => ReadText(ref reader),
                TypeKind.Boolean => ReadBoolean(ref reader),
                TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int => ReadInteger(ref reader, type.Kind),
                TypeKind.BigInt => reader.TokenType == JsonTokenType.Number
                    ? reader.GetInt64()
                    : long.Parse(ExpectString(ref reader), NumberStyles.Integer, CultureInfo.InvariantCulture),
                TypeKind.Float => reader.TokenType == JsonTokenType.Number
                    ? reader.GetSingle()
                    : float.Parse(ExpectString(ref reader), NumberStyles.Float, CultureInfo.InvariantCulture),
                TypeKind.Double => reader.TokenType == JsonTokenType.Number
                    ? reader.GetDouble()
                    : double.Parse(ExpectString(ref reader), NumberStyles.Float, CultureInfo.InvariantCulture),
                TypeKind.Decimal => Math.Round(
                    reader.TokenType == JsonTokenType.Number
                        ? reader.GetDecimal()
                        : decimal.Parse(ExpectString(ref reader), NumberStyles.Float, CultureInfo.InvariantCulture),
                    type.Scale,
                    MidpointRounding.AwayFromZero),
                TypeKind.Date => DateOnly.ParseExact(ExpectString(ref reader), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                TypeKind.Time => TimeOnly.Parse(ExpectString(ref reader), CultureInfo.InvariantCulture),
                TypeKind.Timestamp => ParseTimestamp(ExpectString(ref reader)),
                TypeKind.TimestampLtz => DateTimeOffset.Parse(
                    ExpectString(ref reader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                TypeKind.Bytes => reader.GetBytesFromBase64(),
                TypeKind.Array => ReadArray(ref reader, type, FieldPath(path, fieldName)),
                TypeKind.Map => ReadMap(ref reader, type, FieldPath(path, fieldName)),
                TypeKind.Row => ReadRow(ref reader, type.RowType!, failOnMissingField: false, FieldPath(path, fieldName)),
                _ => throw new RowDecodeException($"Unsupported column type {type} at {FieldPath(path, fieldName)}."),
            };
        }
        catch (Exception exception) when (exception is FormatException or OverflowException or InvalidOperationException)
        {
            if (exception is RowDecodeException)
            {
                throw;
            }

            throw new RowDecodeException($"Cannot read {Describe(reader.TokenType)} at {FieldPath(path, fieldName)} as {type}: {exception.Message}", exception);
        }
    }

    private static string FieldPath(string path, string? fieldName) => fieldName is null ? path : path + "." + fieldName;

    private static string ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString()!;
            case JsonTokenType.Number:
                return reader.HasValueSequence
                    ? Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
                    : Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            default:
                // An object or array read into a text column keeps its JSON text, as Flink's JSON format does.
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    return document.RootElement.GetRawText();
                }
        }
    }

    /// <summary>
    /// Reads a TINYINT, SMALLINT or INT value, which rows store as <see cref="int"/> for all three. A value outside the
    /// type's range is rejected, as Flink's JSON format rejects it with Byte.parseByte, Short.parseShort or
    /// Integer.parseInt.
    /// </summary>
    private static int ReadInteger(ref Utf8JsonReader reader, TypeKind kind)
    {
        // The value is read as a long so that an out-of-range error can name it. Beyond the long range, the parser's
        // own error is reported instead.
        var value = reader.TokenType == JsonTokenType.Number
            ? reader.GetInt64()
            : long.Parse(ExpectString(ref reader), NumberStyles.Integer, CultureInfo.InvariantCulture);
        IntegerRange.TryGet(kind, out var min, out var max);
        if (value < min || value > max)
        {
            throw new OverflowException(
                string.Create(CultureInfo.InvariantCulture, $"value {value} is outside {IntegerRange.Describe(kind)}."));
        }

        return (int)value;
    }

    private static bool ReadBoolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String => bool.Parse(reader.GetString()!),
        _ => throw new FormatException("expected true or false"),
    };

    private static string ExpectString(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.String
        ? reader.GetString()!
        : throw new FormatException($"expected a JSON string, found {Describe(reader.TokenType)}");

    private static DateTime ParseTimestamp(string text)
    {
        var parsed = DateTime.ParseExact(
            text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AdjustToUniversal);
        return DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified);
    }

    private static object?[] ReadArray(ref Utf8JsonReader reader, DataType type, string path)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RowDecodeException($"Expected a JSON array at {path} for {type}, found {Describe(reader.TokenType)}.");
        }

        var items = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ReadValue(ref reader, type.ElementType!, path + "[]"));
        }

        return items.ToArray();
    }

    private static Dictionary<string, object?> ReadMap(ref Utf8JsonReader reader, DataType type, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RowDecodeException($"Expected a JSON object at {path} for {type}, found {Describe(reader.TokenType)}.");
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = ReadValue(ref reader, type.ElementType!, path + "." + key);
        }

        return map;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
