using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Options;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using WireMock.Server;

namespace Connector.Actors.Tests.Sink;

/// <summary>One actor system and materializer shared by the tests of a class.</summary>
public sealed class ActorSystemFixture : IDisposable
{
    public ActorSystemFixture()
    {
        System = ActorSystem.Create("sink-tests");
        Materializer = System.Materializer();
    }

    public ActorSystem System { get; }

    public ActorMaterializer Materializer { get; }

    public void Dispose()
    {
        Materializer.Dispose();
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Rows, options and runners shared by the sink tests.</summary>
internal static class SinkTestData
{
    /// <summary>How long any single sink run may take before a test gives up on it.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(20);

    public static RowType OrderType { get; } = TypeParser.ParseColumns("id BIGINT, first_name STRING, tx_date TIMESTAMP(3)");

    public static DateTime OrderDate { get; } = new(2021, 8, 24, 15, 22, 59, DateTimeKind.Unspecified);

    public static Row Order(long id, string name = "Ada") => new(OrderType, [id, name, OrderDate]);

    public static Row[] Orders(int count) => Enumerable.Range(1, count).Select(i => Order(i)).ToArray();

    /// <summary>Returns the sink URL of a WireMock server, on 127.0.0.1 so that no name lookup is involved.</summary>
    public static string UrlOf(WireMockServer server) => $"http://127.0.0.1:{server.Port}/orders";

    /// <summary>Returns the minimal sink options. Retries wait 10 ms instead of the 1 s default, to keep tests short.</summary>
    public static Dictionary<string, string> BaseOptions(string url) => new(StringComparer.Ordinal)
    {
        [CommonOptions.Connector] = SinkOptions.ConnectorId,
        [CommonOptions.Url] = url,
        [SinkOptions.FixedDelay] = "10ms",
    };

    public static SinkSettings Settings(Dictionary<string, string> options) =>
        SinkSettings.Create(TableOptions.FromDictionary("orders", options));

    public static HttpSink CreateSink(Dictionary<string, string> options, Action<SinkRequestOutcome>? callback = null) =>
        HttpSink.Create(Settings(options), new HttpSinkOptions { RequestCallback = callback });

    public static Task<SinkResult> Run(HttpSink sink, IEnumerable<Row> rows, IMaterializer materializer) =>
        Source.From(rows).RunWith(sink.Sink, materializer).WaitAsync(RunTimeout);

    /// <summary>Runs rows through a sink that must fail, and returns the exception.</summary>
    public static async Task<SinkFailedException> RunFailing(HttpSink sink, IEnumerable<Row> rows, IMaterializer materializer) =>
        await Assert.ThrowsAsync<SinkFailedException>(() => Run(sink, rows, materializer));

    /// <summary>Returns the bodies the server received, in arrival order.</summary>
    public static string[] Bodies(WireMockServer server) =>
        server.LogEntries
            .OrderBy(entry => entry.RequestMessage.DateTime)
            .Select(entry => entry.RequestMessage.Body ?? string.Empty)
            .ToArray();

    /// <summary>Returns the ids of a body that is a JSON array of rows or one row object.</summary>
    public static long[] Ids(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Array
            ? root.EnumerateArray().Select(row => row.GetProperty("id").GetInt64()).ToArray()
            : [root.GetProperty("id").GetInt64()];
    }

    /// <summary>Returns a port on 127.0.0.1 that nothing listens on, so connections to it are refused.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Returns a dead-letter path in a fresh temporary folder.</summary>
    public static string DeadLetterPath()
    {
        var folder = Directory.CreateTempSubdirectory("sink-dead-letters-");
        return Path.Combine(folder.FullName, "orders.ndjson");
    }

    /// <summary>Reads the dead-letter lines of a sink that is already disposed.</summary>
    public static JsonElement[] ReadDeadLetters(string path) =>
        File.ReadAllLines(path, Encoding.UTF8)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToArray();
}

/// <summary>
/// An HTTP/1.1 server on a raw socket that resets chosen connections after reading their first request,
/// and responds to every request on the other connections with 200 and no body.
/// </summary>
internal sealed class ResettingServer : IAsyncDisposable
{
    private static readonly byte[] OkResponse = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener;
    private readonly Func<int, bool> _resetsConnection;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _acceptedBodies = new();
    private readonly ConcurrentBag<Task> _handlers = [];
    private readonly Task _acceptLoop;
    private int _connections;

    /// <param name="resetsConnection">Returns true for the connection numbers, counting from 0, to reset.</param>
    public ResettingServer(Func<int, bool> resetsConnection)
    {
        _resetsConnection = resetsConnection;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/orders";
        _acceptLoop = AcceptAsync();
    }

    public string Url { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Bodies of the requests that got a 200 response.</summary>
    public IReadOnlyCollection<string> AcceptedBodies => _acceptedBodies;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(_handlers).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var number = Interlocked.Increment(ref _connections) - 1;
            _handlers.Add(HandleAsync(socket, _resetsConnection(number)));
        }
    }

    private async Task HandleAsync(Socket socket, bool reset)
    {
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            while (!_stop.IsCancellationRequested)
            {
                var body = await ReadRequestAsync(stream, _stop.Token);
                if (body is null)
                {
                    return;
                }

                if (reset)
                {
                    // A zero linger time makes Close send RST instead of FIN, so the client sees a reset with no response.
                    socket.LingerState = new LingerOption(true, 0);
                    return;
                }

                _acceptedBodies.Enqueue(body);
                await stream.WriteAsync(OkResponse, _stop.Token);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException)
        {
        }
        finally
        {
            socket.Close();
        }
    }

    // Returns the body of the next request, or null when the client closed the connection first.
    private static async Task<string?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        var headerEnd = -1;
        while (headerEnd < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            received.AddRange(buffer.AsSpan(0, read));
            headerEnd = IndexOfHeaderEnd(received);
        }

        var head = Encoding.ASCII.GetString(received.GetRange(0, headerEnd).ToArray());
        var contentLength = head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var bodyStart = headerEnd + 4;
        while (received.Count - bodyStart < contentLength)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        return Encoding.UTF8.GetString(received.GetRange(bodyStart, contentLength).ToArray());
    }

    private static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
