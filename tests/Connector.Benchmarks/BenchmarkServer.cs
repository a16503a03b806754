using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Connector.Benchmarks;

/// <summary>
/// The Kestrel endpoint both sides of every pair send to: HTTP/1.1 on 127.0.0.1 with a free port, counting the
/// requests and connections it serves.
/// </summary>
/// <remarks>
/// <c>GET /customer?id=..</c> and <c>POST /lookup</c> (body <c>{"id":".."}</c>) return a customer object.
/// <c>POST /ingest</c> reads the whole body, stamps the arrival of the first <c>"seq"</c> value it contains, and
/// returns 200 with an empty body.
/// </remarks>
internal sealed class BenchmarkServer : IAsyncDisposable
{
    private static readonly byte[] SeqProperty = "\"seq\":"u8.ToArray();

    private readonly WebApplication _application;
    private long _requests;
    private long _connections;
    private volatile LatencyRecorder? _ingestRecorder;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _customerBuffer;

    private BenchmarkServer(WebApplication application, string baseUrl)
    {
        _application = application;
        BaseUrl = baseUrl;
    }

    /// <summary>The base address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>Requests served since the server started.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Connections accepted since the server started.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Starts the server on 127.0.0.1 with a port that the operating system chooses.</summary>
    public static async Task<BenchmarkServer> StartAsync()
    {
        BenchmarkServer? server = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref server!._connections);
                    return next(connection);
                });
            });
        });

        var application = builder.Build();
        application.Run(context => server!.HandleAsync(context));
        await application.StartAsync();
        server = new BenchmarkServer(application, application.Urls.Single().TrimEnd('/'));
        return server;
    }

    /// <summary>
    /// Sets the recorder that <c>POST /ingest</c> stops at the first <c>"seq"</c> value of each body, or null to
    /// record nothing.
    /// </summary>
    public void RecordIngestArrivals(LatencyRecorder? recorder) => _ingestRecorder = recorder;

    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync();
        await _application.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        return (request.Method, request.Path.Value) switch
        {
            ("GET", "/customer") => WriteCustomerAsync(context.Response, request.Query["id"].ToString()),
            ("POST", "/lookup") => LookupByBodyAsync(context),
            ("POST", "/ingest") => IngestAsync(context),
            _ => NotFound(context.Response),
        };
    }

    private static Task NotFound(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static async Task LookupByBodyAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request.BodyReader);
        var id = ReadId(body.Buffer);
        context.Request.BodyReader.AdvanceTo(body.Buffer.End);
        await WriteCustomerAsync(context.Response, id);
    }

    private async Task IngestAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        var body = await ReadBodyAsync(reader);
        var arrived = Stopwatch.GetTimestamp();
        if (_ingestRecorder is { } recorder && FindFirstSeq(body.Buffer) is { } seq)
        {
            recorder.Stop(seq, arrived);
        }

        reader.AdvanceTo(body.Buffer.End);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    /// <summary>Reads until the body is complete, keeping all of it in the pipe.</summary>
    private static async Task<ReadResult> ReadBodyAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync();
            if (result.IsCompleted)
            {
                return result;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static string ReadId(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8) && reader.Read())
            {
                return reader.GetString() ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private static int? FindFirstSeq(ReadOnlySequence<byte> body)
    {
        // The benchmark rows put seq first, so the value sits within the first few bytes of every body.
        Span<byte> head = stackalloc byte[64];
        var length = (int)Math.Min(head.Length, body.Length);
        body.Slice(0, length).CopyTo(head);
        head = head[..length];
        var at = head.IndexOf(SeqProperty);
        if (at < 0)
        {
            return null;
        }

        return Utf8Parser.TryParse(head[(at + SeqProperty.Length)..], out int seq, out _) ? seq : null;
    }

    private static Task WriteCustomerAsync(HttpResponse response, string id)
    {
        var buffer = _customerBuffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            json.WriteString("name"u8, "Customer name"u8);
            json.WriteString("tier"u8, "gold"u8);
            json.WriteNumber("credit"u8, 1250);
            json.WriteEndObject();
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        return response.BodyWriter.FlushAsync().AsTask();
    }
}
