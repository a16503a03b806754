using System.Net;
using System.Net.Sockets;

namespace Connector.Node.Tests.Support;

/// <summary>Ports on 127.0.0.1 for tests.</summary>
public static class LoopbackPort
{
    /// <summary>Returns a port that nothing listens on, so connections to it are refused.</summary>
    public static int Closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
