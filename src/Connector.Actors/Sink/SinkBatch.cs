namespace Connector.Actors.Sink;

/// <summary>
/// The body of one sink request and where each of its rows lies in it: a JSON array of rows in batch mode, or one
/// row in single mode.
/// </summary>
internal sealed class SinkBatch
{
    private readonly int[] _rowBounds;

    /// <param name="body">The encoded request body.</param>
    /// <param name="rowBounds">Each row's start and end offset in <paramref name="body"/>, two entries per row.</param>
    public SinkBatch(byte[] body, int[] rowBounds)
    {
        Body = body;
        _rowBounds = rowBounds;
    }

    public byte[] Body { get; }

    public int RowCount => _rowBounds.Length / 2;

    /// <summary>Returns each row's encoded bytes, for the dead-letter file.</summary>
    public ReadOnlyMemory<byte>[] Rows()
    {
        var rows = new ReadOnlyMemory<byte>[RowCount];
        for (var i = 0; i < rows.Length; i++)
        {
            var start = _rowBounds[2 * i];
            rows[i] = Body.AsMemory(start, _rowBounds[(2 * i) + 1] - start);
        }

        return rows;
    }
}
