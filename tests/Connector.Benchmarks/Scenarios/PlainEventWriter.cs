using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Connector.Actors.Schema;

namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// Encodes the sink scenarios' rows into a JSON array with System.Text.Json, as a program without the connector would:
/// one <see cref="Utf8JsonWriter"/> call per value, property names encoded once, and a writer and buffer that are reset
/// for each body. The bytes are the ones the sink sends for the same rows.
/// </summary>
internal sealed class PlainEventWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonEncodedText Seq = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Amount = JsonEncodedText.Encode("amount");

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _writer;

    public PlainEventWriter() => _writer = new Utf8JsonWriter(_buffer, Options);

    /// <summary>Encodes <paramref name="rows"/> and returns the body, which stays valid until the next call.</summary>
    public ReadOnlyMemory<byte> Encode(ReadOnlySpan<Row> rows)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartArray();
        foreach (var row in rows)
        {
            var values = row.Values;
            _writer.WriteStartObject();
            _writer.WriteNumber(Seq, (int)values[0]!);
            _writer.WriteString(Id, (string)values[1]!);
            _writer.WriteString(Name, (string)values[2]!);
            _writer.WriteNumber(Amount, (double)values[3]!);
            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }
}
