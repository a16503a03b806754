using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// A plain-http Kestrel server on 127.0.0.1 with a free port that speaks only the given protocols. It records
/// each request as Kestrel parsed it, protocol included, when it arrives. It responds with <c>{"msg":"found"}</c>,
/// except to a request whose query string is the hanging query: it never responds to that request and ends it only
/// when the client aborts it.
/// </summary>
public sealed class RecordingKestrelServer : IAsyncDisposable
{
    private readonly WebApplication _application;
    private readonly ConcurrentQueue<RecordedRequest> _requests;

    private RecordingKestrelServer(WebApplication application, string baseUrl, ConcurrentQueue<RecordedRequest> requests)
    {
        _application = application;
        _requests = requests;
        BaseUrl = baseUrl;
    }

    /// <summary>The base address without a trailing slash, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The requests received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Starts a server that speaks <paramref name="protocols"/>.</summary>
    /// <param name="protocols">The protocols the endpoint speaks.</param>
    /// <param name="hangingQuery">A query string, such as <c>?id=2</c>, whose requests get no response.</param>
    public static async Task<RecordingKestrelServer> StartAsync(HttpProtocols protocols, string? hangingQuery = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));

        var requests = new ConcurrentQueue<RecordedRequest>();
        var application = builder.Build();
        application.Run(context => RespondAsync(context, requests, hangingQuery));
        await application.StartAsync();

        return new RecordingKestrelServer(application, application.Urls.Single().TrimEnd('/'), requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync();
        await _application.DisposeAsync();
    }

    private static async Task RespondAsync(HttpContext context, ConcurrentQueue<RecordedRequest> requests, string? hangingQuery)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(
            header => header.Key,
            header => header.Value.ToString(),
            StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.QueryString.Value ?? string.Empty, context.Request.Protocol, headers, body));
        if (hangingQuery is not null && context.Request.QueryString.Value == hangingQuery)
        {
            // Waiting on RequestAborted, not on a fixed delay, lets the server stop at once when the test ends.
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"msg":"found"}""");
    }
}

/// <summary>A request that <see cref="RecordingKestrelServer"/> received.</summary>
/// <param name="Method">The request method.</param>
/// <param name="Query">The query string with its leading <c>?</c>, or empty.</param>
/// <param name="Protocol">The protocol, such as <c>HTTP/1.1</c> or <c>HTTP/2</c>.</param>
/// <param name="Headers">The request headers by name, with multiple values joined by commas.</param>
/// <param name="Body">The request body, empty when there was none.</param>
public sealed record RecordedRequest(string Method, string Query, string Protocol, IReadOnlyDictionary<string, string> Headers, string Body);
