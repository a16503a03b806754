using System.Net;
using System.Net.Sockets;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// A loopback TCP server for responses that HTTP servers do not produce on request. For every connection it reads the
/// request, writes fixed bytes (possibly none, or a broken response) and closes the connection.
/// </summary>
public sealed class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _response;
    private int _requests;

    private RawHttpServer(byte[] response)
    {
        _response = response;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = ServeAsync();
    }

    public int Port { get; }

    /// <summary>Connections whose request bytes arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Starts a server that writes <paramref name="response"/> for every request and then closes the connection.</summary>
    public static RawHttpServer Start(byte[] response) => new(response);

    public void Dispose() => _listener.Stop();

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                if (await stream.ReadAsync(new byte[65536]) > 0)
                {
                    Interlocked.Increment(ref _requests);
                    await stream.WriteAsync(_response);
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or IOException)
        {
            // The listener was stopped or a client went away, and the test reads what arrived before.
        }
    }
}
