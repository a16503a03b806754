using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Connector.Actors.Schema;

/// <summary>
/// Writes rows as JSON objects straight to UTF-8, with Flink's JSON format conventions:
/// timestamps as <c>yyyy-MM-dd HH:mm:ss[.fff]</c>, dates as <c>yyyy-MM-dd</c>, bytes as Base64.
/// </summary>
public static class RowJsonWriter
{
    private const int MaxRetainedBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        // Row text is data for another service, not HTML, so only JSON's own escapes are applied.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Writes a row as one JSON object.</summary>
    public static void WriteRow(Utf8JsonWriter writer, Row row)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(row);

        writer.WriteStartObject();
        var names = row.Type.JsonNames;
        for (var i = 0; i < names.Length; i++)
        {
            writer.WritePropertyName(names[i]);
            WriteValue(writer, row.Values[i]);
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a row as one JSON object into a buffer.</summary>
    public static void WriteRow(IBufferWriter<byte> buffer, Row row)
    {
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        WriteRow(writer, row);
    }

    /// <summary>Creates a writer over a buffer with the options rows are written with.</summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> buffer) => new(buffer, WriterOptions);

    /// <summary>
    /// Returns this thread's reusable writer, reset over its emptied buffer, so that encoding a row allocates only the
    /// copy of its bytes. The caller must be done with both before it awaits or rents again, because the next rental
    /// on the same thread resets them.
    /// </summary>
    internal static Utf8JsonWriter RentThreadWriter(out ArrayBufferWriter<byte> buffer)
    {
        buffer = RentThreadBuffer();
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return writer;
    }

    /// <summary>Returns this thread's reusable buffer, emptied, on the same terms as <see cref="RentThreadWriter"/>.</summary>
    internal static ArrayBufferWriter<byte> RentThreadBuffer()
    {
        if (_threadBuffer is null || _threadBuffer.Capacity > MaxRetainedBufferBytes)
        {
            // A buffer that one large value grew is dropped instead of being kept by the thread for good.
            _threadBuffer = new ArrayBufferWriter<byte>(256);
        }

        _threadBuffer.ResetWrittenCount();
        return _threadBuffer;
    }

    /// <summary>Returns a row as compact JSON text.</summary>
    public static string ToJsonString(Row row)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteRow(buffer, row);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Returns the field names escaped as <see cref="WriteRow(Utf8JsonWriter, Row)"/> writes them.</summary>
    internal static JsonEncodedText[] EncodeNames(RowType type) =>
        type.Fields.Select(field => JsonEncodedText.Encode(field.Name, WriterOptions.Encoder)).ToArray();

    /// <summary>Writes one column value by its CLR type.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                WriteFloating(writer, number);
                break;
            case float number:
                WriteFloating(writer, number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case DateTime timestamp:
                writer.WriteStringValue(FormatTimestamp(timestamp));
                break;
            case DateTimeOffset timestamp:
                writer.WriteStringValue(FormatTimestamp(timestamp.UtcDateTime) + "Z");
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case TimeOnly time:
                writer.WriteStringValue(time.ToString(time.Millisecond == 0 ? "HH:mm:ss" : "HH:mm:ss.fff", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case Row nested:
                WriteRow(writer, nested);
                break;
            case IDictionary map:
                WriteMap(writer, map);
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Formats a timestamp the way Flink's JSON format does by default.</summary>
    public static string FormatTimestamp(DateTime timestamp)
    {
        var fraction = timestamp.Ticks % TimeSpan.TicksPerSecond;
        if (fraction == 0)
        {
            return timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return fraction % TimeSpan.TicksPerMillisecond == 0
            ? timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : timestamp.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    private static void WriteFloating(Utf8JsonWriter writer, float number)
    {
        // A float is written by its own shortest form, because widening it to double first turns 0.1f into 0.10000000149011612.
        if (float.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteFloating(Utf8JsonWriter writer, double number)
    {
        if (double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            // JSON has no literal for NaN or infinity, so they travel as text, as Flink's JSON format writes them.
            writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteMap(Utf8JsonWriter writer, IDictionary map)
    {
        writer.WriteStartObject();
        foreach (DictionaryEntry entry in map)
        {
            writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "null");
            WriteValue(writer, entry.Value);
        }

        writer.WriteEndObject();
    }
}
