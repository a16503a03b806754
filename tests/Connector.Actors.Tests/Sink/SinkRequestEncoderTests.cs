using System.Text;
using System.Text.Json;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Sink;

/// <summary>Tests of how a request's rows become request bodies.</summary>
public sealed class SinkRequestEncoderTests
{
    [Fact]
    public void Batch_OneArrayInOrder()
    {
        var encoder = new SinkRequestEncoder(Settings(BaseOptions("http://127.0.0.1:1/orders")));
        var rows = Orders(4);

        var batch = Assert.Single(encoder.Encode(rows));

        var body = Encoding.UTF8.GetString(batch.Body);
        Assert.Equal("[" + string.Join(",", rows.Select(RowJsonWriter.ToJsonString)) + "]", body);
        Assert.Equal(rows.Select(RowJsonWriter.ToJsonString), batch.Rows().Select(row => Encoding.UTF8.GetString(row.Span)));
    }

    [Fact]
    public void Single_IsTheRowItself()
    {
        var options = BaseOptions("http://127.0.0.1:1/orders");
        options[SinkOptions.RequestMode] = "single";
        var encoder = new SinkRequestEncoder(Settings(options));
        var row = Order(7, "Grace");

        var batch = Assert.Single(encoder.Encode([row]));

        Assert.Equal(RowJsonWriter.ToJsonString(row), Encoding.UTF8.GetString(batch.Body));
        Assert.Equal(1, batch.RowCount);
    }

    [Fact]
    public void RowsOverFlushSize_SplitWithinLimit()
    {
        // Each row encodes to 60 bytes, so 200 bytes hold 3 rows.
        var options = BaseOptions("http://127.0.0.1:1/orders");
        options[SinkOptions.FlushBufferSize] = "200";
        var encoder = new SinkRequestEncoder(Settings(options));
        var rows = Enumerable.Range(1, 8).Select(i => Order(i, "abcd")).ToArray();

        var batches = encoder.Encode(rows);

        Assert.Equal([3, 3, 2], batches.Select(b => b.RowCount));
        Assert.All(batches, b => Assert.True(b.Rows().Sum(r => r.Length) <= 200));
        var ids = batches.SelectMany(b => JsonDocument.Parse(b.Body).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), ids);
        Assert.Equal(rows.Select(RowJsonWriter.ToJsonString), batches.SelectMany(b => b.Rows()).Select(row => Encoding.UTF8.GetString(row.Span)));
    }

    [Fact]
    public void RowLargerThanFlushSize_GoesAlone()
    {
        var options = BaseOptions("http://127.0.0.1:1/orders");
        options[SinkOptions.FlushBufferSize] = "50";
        var encoder = new SinkRequestEncoder(Settings(options));

        var batches = encoder.Encode(Orders(3));

        Assert.Equal([1, 1, 1], batches.Select(b => b.RowCount));
        Assert.All(batches, b => Assert.Single(JsonDocument.Parse(b.Body).RootElement.EnumerateArray()));
    }

    [Fact]
    public void RowOverMaxRecordSize_Throws()
    {
        var options = BaseOptions("http://127.0.0.1:1/orders");
        options[SinkOptions.MaxRecordSize] = "100";
        var encoder = new SinkRequestEncoder(Settings(options));

        var exception = Assert.Throws<SinkFailedException>(() => encoder.Encode([Order(1), Order(2, new string('x', 144))]));

        Assert.Contains("200 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Contains(SinkOptions.MaxRecordSize, exception.Message, StringComparison.Ordinal);
    }
}
