using System.Text.Json;

namespace Connector.Actors.Sink;

/// <summary>
/// Appends failed rows to an NDJSON file, one line per row with the reason, status, attempts and time.
/// Writes are serialized and flushed before the sink counts the rows as dead-lettered.
/// </summary>
internal sealed class DeadLetterWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;

    public DeadLetterWriter(string path, TimeProvider time)
    {
        _time = time;
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true);
    }

    public async Task WriteAsync(IReadOnlyList<ReadOnlyMemory<byte>> rows, string reason, int? status, int attempts, CancellationToken cancellationToken)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(rows.Sum(r => r.Length + 160));
        var time = _time.GetUtcNow();
        foreach (var row in rows)
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("reason", reason);
                if (status is { } code)
                {
                    writer.WriteNumber("status", code);
                }
                else
                {
                    writer.WriteNull("status");
                }

                writer.WriteNumber("attempts", attempts);
                writer.WriteString("time", time);
                writer.WritePropertyName("row");
                writer.WriteRawValue(row.Span, skipInputValidation: true);
                writer.WriteEndObject();
            }

            System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _gate.Dispose();
    }
}
