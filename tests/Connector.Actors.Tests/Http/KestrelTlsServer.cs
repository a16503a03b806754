using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Connector.Actors.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Tests.Http;

/// <summary>
/// Kestrel HTTPS server on 127.0.0.1 with a free port. It records every request. Under <see cref="LookupPath"/> it
/// responds with the JSON object <c>{"msg": subject}</c>, and elsewhere with the plain text subject, where subject is
/// the subject of the client certificate or <see cref="NoClientCertificate"/>.
/// </summary>
public sealed class KestrelTlsServer : IAsyncDisposable
{
    public const string NoClientCertificate = "no client certificate";

    /// <summary>Path prefix of the lookup endpoint, which responds with JSON.</summary>
    public const string LookupPath = "/customers";

    private readonly WebApplication _application;
    private readonly ConcurrentQueue<ReceivedRequest> _requests;

    private KestrelTlsServer(WebApplication application, Uri address, ConcurrentQueue<ReceivedRequest> requests)
    {
        _application = application;
        _requests = requests;
        Address = address;
    }

    /// <summary>The server's base address, for example <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The requests received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>Returns the requests whose path is <paramref name="path"/>, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> RequestsTo(string path)
    {
        return _requests.Where(request => request.Path == path).ToArray();
    }

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
                    https.ClientCertificateValidation = (certificate, chain, _) => IsIssuedBy(certificate, chain, clientCa);
                }
            });
        }));

        var requests = new ConcurrentQueue<ReceivedRequest>();
        WebApplication application = builder.Build();
        application.Run(context => RespondAsync(context, requests));
        await application.StartAsync();

        string address = application.Urls.Single();
        return new KestrelTlsServer(application, new Uri(address + "/"), requests);
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

    private static async Task RespondAsync(HttpContext context, ConcurrentQueue<ReceivedRequest> requests)
    {
        string subject = context.Connection.ClientCertificate?.Subject ?? NoClientCertificate;
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(
            header => header.Key,
            header => header.Value.ToString(),
            StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers, body, subject));

        if (context.Request.Path.StartsWithSegments(LookupPath))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["msg"] = subject }));
            return;
        }

        await context.Response.WriteAsync(subject);
    }

    /// <summary>
    /// Returns true when the certificate chains to <paramref name="ca"/> through no certificates but the ones the
    /// client sent, which SslStream puts in the received chain's extra store.
    /// </summary>
    private static bool IsIssuedBy(X509Certificate2 certificate, X509Chain? received, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (received is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(received.ChainPolicy.ExtraStore);
        }

        return chain.Build(certificate);
    }
}

/// <summary>A request that <see cref="KestrelTlsServer"/> received.</summary>
/// <param name="Method">The request method.</param>
/// <param name="Path">The path without the query string.</param>
/// <param name="Headers">The request headers, with case-insensitive names.</param>
/// <param name="Body">The request body as UTF-8 text.</param>
/// <param name="ClientCertificateSubject">
/// The subject of the client certificate, or <see cref="KestrelTlsServer.NoClientCertificate"/>.
/// </param>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string ClientCertificateSubject);
