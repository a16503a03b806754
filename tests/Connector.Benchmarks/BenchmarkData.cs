using System.Buffers;
using System.Collections;
using System.Net;
using Connector.Actors.Schema;

namespace Connector.Benchmarks;

/// <summary>Row types, rows, request bodies and the plain HTTP client that the scenarios share.</summary>
internal static class BenchmarkData
{
    /// <summary>The columns of the customer table that the server's lookup endpoints return.</summary>
    public const string CustomerColumns = "id STRING, name STRING, tier STRING, credit INT";

    /// <summary>Upstream rows of the lookup scenarios: the key, and the element index that latency stamps use.</summary>
    public static RowType OrderType { get; } = TypeParser.ParseColumns("id STRING, seq INT");

    /// <summary>Rows of the sink scenarios. Seq comes first, so the server finds it at the start of every body.</summary>
    public static RowType EventType { get; } = TypeParser.ParseColumns("seq INT, id STRING, name STRING, amount DOUBLE");

    /// <summary>Returns the key of the customer with the given number.</summary>
    public static string CustomerId(int number) => "c" + number.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates lookup upstream rows whose keys cycle through <paramref name="distinctKeys"/> customers.</summary>
    public static Row[] Orders(int count, int distinctKeys)
    {
        var keys = Enumerable.Range(0, distinctKeys).Select(CustomerId).ToArray();
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = new Row(OrderType, [keys[i % distinctKeys], i]);
        }

        return rows;
    }

    /// <summary>
    /// Creates sink rows with seq equal to their index. Rows share their text and amount objects, which keeps the
    /// live heap, and so the full collection before each iteration, small.
    /// </summary>
    public static Row[] Events(int count)
    {
        var ids = Enumerable.Range(0, 1000).Select(CustomerId).ToArray();
        var names = Enumerable.Range(0, 97).Select(i => "event name " + i).ToArray();
        var amounts = Enumerable.Range(0, 1000).Select(i => (object)(12.5 + i)).ToArray();
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = new Row(EventType, [i, ids[i % 1000], names[i % 97], amounts[i % 1000]]);
        }

        return rows;
    }

    /// <summary>Encodes a row as the sink does: one JSON object.</summary>
    public static byte[] EncodeRow(Row row)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        RowJsonWriter.WriteRow(buffer, row);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Encodes rows as the sink's batch mode does: a JSON array of the row objects, with no spaces.</summary>
    public static byte[] EncodeBatch(ReadOnlySpan<Row> rows)
    {
        var buffer = new ArrayBufferWriter<byte>(rows.Length * 80);
        buffer.Write("["u8);
        for (var i = 0; i < rows.Length; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }

            RowJsonWriter.WriteRow(buffer, rows[i]);
        }

        buffer.Write("]"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Creates the baseline's client with the connection settings that the connector's client factory uses, and a
    /// pool of at most <paramref name="maxConnections"/> connections.
    /// </summary>
    public static HttpClient CreatePlainClient(int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = maxConnections,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            UseProxy = false,
            UseCookies = false,
        };

        return new HttpClient(handler, disposeHandler: true)
        {
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}

/// <summary>
/// The first <c>count</c> elements of an endless repetition of a few rows, so that a long run needs no large array.
/// </summary>
internal sealed class RepeatedRows(Row[] rows, int count) : IEnumerable<Row>
{
    public IEnumerator<Row> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return rows[i % rows.Length];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
