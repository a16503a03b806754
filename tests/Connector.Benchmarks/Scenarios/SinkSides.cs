using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;

namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// The connector side of the sink scenarios: <see cref="HttpSink"/> posting to <c>/ingest</c>. Its measured iterations
/// stamp nothing, because stamping each row adds a stage and a clock read per row that the loop, which stamps per
/// request, does not pay. Latency comes from one extra stamped pass. A request's latency runs from the emission of its
/// first row into the sink until the server has read the whole body, so in batch mode it includes the time the row
/// waits for the rest of its batch.
/// </summary>
internal sealed class HttpSinkSide : IBenchmarkSide, ISeparateLatencyPass
{
    private readonly BenchmarkContext _context;
    private readonly HttpSink _sink;
    private readonly Row[] _rows;
    private readonly LatencyRecorder _latencies;

    public HttpSinkSide(BenchmarkContext context, SinkRequestMode mode, int maxInflight, int rowsPerRequest, int elements)
    {
        _context = context;
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CommonOptions.Connector] = SinkOptions.ConnectorId,
            [CommonOptions.Format] = "json",
            [CommonOptions.Url] = context.Server.BaseUrl + "/ingest",
            [SinkOptions.RequestMode] = mode == SinkRequestMode.Single ? "single" : "batch",
            [SinkOptions.BatchMaxSize] = rowsPerRequest.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SinkOptions.MaxInflight] = maxInflight.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _sink = HttpSink.Create(SinkSettings.Create(TableOptions.FromDictionary("events", options)));
        _rows = BenchmarkData.Events(elements);
        _latencies = new LatencyRecorder(elements);
        Description = mode == SinkRequestMode.Single
            ? $"HttpSink, {SinkOptions.RequestMode}=single, {SinkOptions.MaxInflight}={maxInflight}"
            : $"HttpSink, batch of {rowsPerRequest} rows, {SinkOptions.MaxInflight}={maxInflight}";
    }

    public string Description { get; }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        await SendAsync(Source.From(new ArraySegment<Row>(_rows, 0, elements)), elements, cancellationToken);
        return new SideRun(elements, null);
    }

    public async Task<LatencySummary?> MeasureLatencyAsync(int elements, CancellationToken cancellationToken)
    {
        _latencies.Reset();
        _context.Server.RecordIngestArrivals(_latencies);
        try
        {
            var stamped = Source.From(new ArraySegment<Row>(_rows, 0, elements)).Select(row =>
            {
                _latencies.Start((int)row.Values[0]!);
                return row;
            });
            await SendAsync(stamped, elements, cancellationToken);
        }
        finally
        {
            _context.Server.RecordIngestArrivals(null);
        }

        return _latencies.Summarize();
    }

    private async Task SendAsync(Source<Row, Akka.NotUsed> rows, int elements, CancellationToken cancellationToken)
    {
        var delivered = _sink.Counters.Delivered;
        await rows.RunWith(_sink.Sink, _context.Materializer).WaitAsync(cancellationToken);
        if (_sink.Counters.Delivered - delivered != elements)
        {
            throw new InvalidOperationException($"{Description}: {elements} rows went in but {_sink.Counters.Delivered - delivered} were delivered.");
        }
    }

    public ValueTask DisposeAsync()
    {
        _sink.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The baseline of the sink scenarios: workers that post the bodies the sink sends for the same rows, with a pool as
/// large as the concurrency. The bodies are built before the iteration, or, with <c>encodeRows</c>, by each worker
/// with a <see cref="PlainEventWriter"/> just before it posts them. A request's latency runs from the start of the
/// request, encoding included, until the server has read the whole body.
/// </summary>
internal sealed class PlainPostSide : IBenchmarkSide
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly BenchmarkContext _context;
    private readonly HttpClient _client;
    private readonly Uri _uri;
    private readonly int _concurrency;
    private readonly int _rowsPerRequest;
    private readonly int _elements;
    private readonly Row[] _rows;
    private readonly byte[][]? _bodies;
    private readonly ConcurrentBag<PlainEventWriter> _writers = [];
    private readonly int _requests;
    private readonly LatencyRecorder _latencies;

    public PlainPostSide(BenchmarkContext context, int concurrency, int rowsPerRequest, int elements, bool encodeRows = false)
    {
        _context = context;
        _client = BenchmarkData.CreatePlainClient(concurrency);
        _uri = new Uri(context.Server.BaseUrl + "/ingest");
        _concurrency = concurrency;
        _rowsPerRequest = rowsPerRequest;
        _elements = elements;
        _rows = BenchmarkData.Events(elements);
        _requests = (elements + rowsPerRequest - 1) / rowsPerRequest;
        _bodies = encodeRows ? null : Enumerable.Range(0, _requests).Select(EncodeBody).ToArray();
        if (encodeRows)
        {
            if (rowsPerRequest == 1)
            {
                throw new ArgumentException("The plain writer encodes arrays of rows, so single-row bodies are built before the iteration.", nameof(encodeRows));
            }

            CheckPlainEncoding();
        }

        _latencies = new LatencyRecorder(elements);
        Description = $"HttpClient loop posting the same {_requests} bodies, " +
            $"{(encodeRows ? "each encoded from its rows by the worker with Utf8JsonWriter" : "encoded before the iteration")}, " +
            $"{concurrency} worker(s), MaxConnectionsPerServer={concurrency}";
    }

    public string Description { get; }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        if (elements != _elements)
        {
            throw new ArgumentOutOfRangeException(nameof(elements), elements, $"the bodies were built for {_elements} rows.");
        }

        _latencies.Reset();
        _context.Server.RecordIngestArrivals(_latencies);
        try
        {
            await PlainLoop.RunAsync(_concurrency, _requests, PostOneAsync, cancellationToken);
        }
        finally
        {
            _context.Server.RecordIngestArrivals(null);
        }

        return new SideRun(elements, _latencies);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task PostOneAsync(int index, CancellationToken cancellationToken)
    {
        _latencies.Start(index * _rowsPerRequest);
        if (_bodies is not null)
        {
            await PostAsync(new ByteArrayContent(_bodies[index]), cancellationToken);
            return;
        }

        // The writer's buffer is the request's content, so the writer goes back to the bag only after the response.
        var writer = _writers.TryTake(out var idle) ? idle : new PlainEventWriter();
        try
        {
            await PostAsync(new ReadOnlyMemoryContent(writer.Encode(RequestRows(index))), cancellationToken);
        }
        finally
        {
            _writers.Add(writer);
        }
    }

    private async Task PostAsync(HttpContent content, CancellationToken cancellationToken)
    {
        content.Headers.ContentType = JsonContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = content };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private ReadOnlySpan<Row> RequestRows(int index)
    {
        var first = index * _rowsPerRequest;
        return _rows.AsSpan(first, Math.Min(_rowsPerRequest, _rows.Length - first));
    }

    /// <summary>Throws unless the plain writer encodes the first request's rows into the bytes that the sink sends.</summary>
    private void CheckPlainEncoding()
    {
        var plain = new PlainEventWriter().Encode(RequestRows(0));
        var sink = BenchmarkData.EncodeBatch(RequestRows(0));
        if (!plain.Span.SequenceEqual(sink))
        {
            throw new InvalidOperationException(
                $"The plain writer's body differs from the sink's. Plain: {System.Text.Encoding.UTF8.GetString(plain.Span[..Math.Min(200, plain.Length)])}");
        }
    }

    /// <summary>Encodes the rows of request <paramref name="index"/> as the sink does: one object, or an array of them.</summary>
    private byte[] EncodeBody(int index)
    {
        var rows = RequestRows(index);
        return _rowsPerRequest == 1 ? BenchmarkData.EncodeRow(rows[0]) : BenchmarkData.EncodeBatch(rows);
    }
}
