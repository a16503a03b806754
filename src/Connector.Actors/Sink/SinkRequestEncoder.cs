using System.Buffers;
using Connector.Actors.Http;
using Connector.Actors.Schema;

namespace Connector.Actors.Sink;

/// <summary>
/// Encodes the rows of one request into request bodies: one JSON array in batch mode, the row itself in single mode.
/// Rows whose bytes together exceed <c>sink.flush-buffer.size</c> are spread over several bodies.
/// </summary>
internal sealed class SinkRequestEncoder(SinkSettings settings)
{
    private readonly bool _isArray = settings.Mode == SinkRequestMode.Batch;

    /// <summary>Encodes <paramref name="rows"/> into the calling thread's reusable buffer.</summary>
    /// <exception cref="SinkFailedException">A row is larger than <c>sink.max-record-size</c>.</exception>
    public SinkBatch[] Encode(Row[] rows)
    {
        var buffer = RowJsonWriter.RentThreadBuffer();
        var bounds = new int[rows.Length * 2];
        long rowBytes = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if (_isArray)
            {
                buffer.Write(i == 0 ? "["u8 : ","u8);
            }

            var start = buffer.WrittenCount;
            RowJsonAppender.AppendRow(buffer, rows[i]);
            var length = buffer.WrittenCount - start;
            if (length > settings.MaxRecordSize)
            {
                throw RecordTooLarge(buffer.WrittenSpan.Slice(start, length));
            }

            bounds[2 * i] = start;
            bounds[(2 * i) + 1] = buffer.WrittenCount;
            rowBytes += length;
        }

        if (_isArray)
        {
            buffer.Write("]"u8);
        }

        if (rowBytes <= settings.FlushBufferSize || rows.Length == 1)
        {
            return [new SinkBatch(buffer.WrittenSpan.ToArray(), bounds)];
        }

        return Split(buffer.WrittenSpan, bounds);
    }

    /// <summary>Spreads encoded rows over bodies whose row bytes stay within the flush size; a larger row goes alone.</summary>
    private SinkBatch[] Split(ReadOnlySpan<byte> encoded, int[] bounds)
    {
        var batches = new List<SinkBatch>();
        var first = 0;
        while (first < bounds.Length / 2)
        {
            var count = 0;
            long bytes = 0;
            while (first + count < bounds.Length / 2)
            {
                var index = first + count;
                var length = bounds[(2 * index) + 1] - bounds[2 * index];
                if (count > 0 && bytes + length > settings.FlushBufferSize)
                {
                    break;
                }

                bytes += length;
                count++;
            }

            batches.Add(Body(encoded, bounds, first, count, bytes));
            first += count;
        }

        return [.. batches];
    }

    private SinkBatch Body(ReadOnlySpan<byte> encoded, int[] bounds, int first, int count, long rowBytes)
    {
        var body = new byte[rowBytes + (_isArray ? count + 1 : 0)];
        var rowBounds = new int[count * 2];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            if (_isArray)
            {
                body[position++] = i == 0 ? (byte)'[' : (byte)',';
            }

            var start = bounds[2 * (first + i)];
            var row = encoded[start..bounds[(2 * (first + i)) + 1]];
            rowBounds[2 * i] = position;
            row.CopyTo(body.AsSpan(position));
            position += row.Length;
            rowBounds[(2 * i) + 1] = position;
        }

        if (_isArray)
        {
            body[position] = (byte)']';
        }

        return new SinkBatch(body, rowBounds);
    }

    private SinkFailedException RecordTooLarge(ReadOnlySpan<byte> encoded) => new(
        $"Sink table '{settings.TableName}': a row of {encoded.Length} bytes exceeds sink.max-record-size ({settings.MaxRecordSize} bytes); " +
        $"raise the limit or shrink the row. Row starts: {TextExcerpt.FromUtf8(encoded, 120)}",
        settings.TableName,
        null,
        1);
}
