using System.Net;
using System.Security.Cryptography.X509Certificates;
using Connector.Actors.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// Kestrel HTTPS server on 127.0.0.1 with a free port. Its response body is the subject of the client certificate.
/// </summary>
public sealed class KestrelTlsServer : IAsyncDisposable
{
    public const string NoClientCertificate = "no client certificate";

    private readonly WebApplication _application;

    private KestrelTlsServer(WebApplication application, Uri address)
    {
        _application = application;
        Address = address;
    }

    /// <summary>The server's base address, for example <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts a server that presents <paramref name="serverCertificate"/>. When <paramref name="clientCa"/> is set,
    /// the server requires a client certificate issued by it.
    /// </summary>
    public static async Task<KestrelTlsServer> StartAsync(
        X509Certificate2 serverCertificate,
        X509Certificate2? clientCa = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = serverCertificate;
                if (clientCa is not null)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => IsIssuedBy(certificate, clientCa);
                }
            });
        }));

        WebApplication application = builder.Build();
        application.Run(context =>
            context.Response.WriteAsync(context.Connection.ClientCertificate?.Subject ?? NoClientCertificate));
        await application.StartAsync();

        string address = application.Urls.Single();
        return new KestrelTlsServer(application, new Uri(address + "/"));
    }

    /// <summary>
    /// Sends an HTTP/1.1 GET request through a <see cref="SocketsHttpHandler"/> configured by
    /// <see cref="TlsConfigurator.Apply"/> and returns the response body.
    /// </summary>
    internal async Task<string> GetAsync(TlsOptions options)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) };
        TlsConfigurator.Apply(handler, options);
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, Address)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using HttpResponseMessage response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync();
        await _application.DisposeAsync();
    }

    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
