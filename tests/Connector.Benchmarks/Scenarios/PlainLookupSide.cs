using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// The baseline of the uncached lookup scenarios: workers that each send a request, read the body and parse it with
/// <see cref="Utf8JsonReader"/>, over the same keys and with the same pool size as the connector. Each request is
/// built from its key when it is sent: the GET URL with the escaped key, the POST body with a JSON writer that the
/// thread reuses. Each element's latency runs from building its request to the end of parsing.
/// </summary>
internal sealed class PlainLookupSide : IBenchmarkSide
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    private readonly HttpClient _client;
    private readonly HttpMethod _method;
    private readonly string _getUrlPrefix;
    private readonly Uri _postUri;
    private readonly string[] _keys;
    private readonly int _concurrency;
    private readonly LatencyRecorder _latencies;
    private long _checksum;

    public PlainLookupSide(BenchmarkContext context, HttpMethod method, int concurrency, int elements)
    {
        _client = BenchmarkData.CreatePlainClient(concurrency);
        _method = method;
        _concurrency = concurrency;
        _getUrlPrefix = context.Server.BaseUrl + "/customer?id=";
        _postUri = new Uri(context.Server.BaseUrl + "/lookup");
        _keys = Enumerable.Range(0, elements).Select(BenchmarkData.CustomerId).ToArray();
        _latencies = new LatencyRecorder(elements);
        Description = $"HttpClient loop, {method}, {concurrency} worker(s), MaxConnectionsPerServer={concurrency}";
    }

    public string Description { get; }

    public async Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken)
    {
        _latencies.Reset();
        await PlainLoop.RunAsync(_concurrency, elements, LookupOneAsync, cancellationToken);
        if (_latencies.Count != elements)
        {
            throw new InvalidOperationException($"{Description}: {elements} elements requested but {_latencies.Count} completed.");
        }

        return new SideRun(elements, _latencies);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task LookupOneAsync(int index, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = _method == HttpMethod.Get
            ? new HttpRequestMessage(HttpMethod.Get, new Uri(_getUrlPrefix + Uri.EscapeDataString(_keys[index])))
            : new HttpRequestMessage(_method, _postUri) { Content = JsonContent(PostBody(_keys[index])) };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Interlocked.Add(ref _checksum, ParseCustomer(body));
        _latencies.Record(Stopwatch.GetTimestamp() - started);
    }

    /// <summary>Writes the body that the connector sends for a one-key lookup: <c>{"id":"&lt;key&gt;"}</c>.</summary>
    private static byte[] PostBody(string key)
    {
        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(64);
        buffer.ResetWrittenCount();
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("id"u8, key);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static ByteArrayContent JsonContent(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    /// <summary>Reads every property of the customer object, as a client that uses the values would.</summary>
    public static int ParseCustomer(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        var length = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                length += reader.GetString()!.Length;
            }
            else if (reader.TokenType == JsonTokenType.Number)
            {
                length += reader.GetInt32() > 0 ? 1 : 0;
            }
        }

        return length;
    }
}
