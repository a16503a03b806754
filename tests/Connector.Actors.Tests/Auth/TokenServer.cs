using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Tests.Auth;

/// <summary>The status and body a <see cref="TokenServer"/> sends for one token request.</summary>
public sealed record TokenResponse(int StatusCode, string Body, string ContentType = "application/json")
{
    /// <summary>Returns a 200 response with an access token and, unless null, an <c>expires_in</c> value.</summary>
    /// <param name="accessToken">The <c>access_token</c> value.</param>
    /// <param name="expiresIn">A number, a string or null; serialized as JSON as it is.</param>
    public static TokenResponse Token(string accessToken, object? expiresIn = null) =>
        new(200, JsonSerializer.Serialize(expiresIn is null
            ? new Dictionary<string, object?> { ["access_token"] = accessToken, ["token_type"] = "Bearer" }
            : new Dictionary<string, object?> { ["access_token"] = accessToken, ["token_type"] = "Bearer", ["expires_in"] = expiresIn }));
}

/// <summary>
/// An OIDC token endpoint on Kestrel at 127.0.0.1 with a free port. It records every request and responds with
/// what a callback returns for the request number, counting from 1, after an optional delay.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    private readonly WebApplication _application;
    private readonly ConcurrentQueue<TokenRequest> _requests = new();

    private TokenServer(WebApplication application)
    {
        _application = application;
    }

    /// <summary>The token endpoint URL, such as <c>http://127.0.0.1:41234/oauth/token</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>The token requests received so far, in arrival order.</summary>
    public IReadOnlyList<TokenRequest> Requests => _requests.ToArray();

    /// <summary>The number of token requests received so far.</summary>
    public int Count => _requests.Count;

    /// <summary>Starts a server that responds to token requests with <paramref name="respond"/>.</summary>
    /// <param name="respond">Returns the response for a request number, counting from 1.</param>
    /// <param name="delay">How long the server waits before it responds.</param>
    public static Task<TokenServer> StartAsync(Func<int, TokenResponse> respond, TimeSpan? delay = null) =>
        StartAsync(respond, _ => delay);

    /// <summary>Starts a server that responds to token requests with <paramref name="respond"/> after a delay per request.</summary>
    /// <param name="respond">Returns the response for a request number, counting from 1.</param>
    /// <param name="delayFor">Returns how long the server waits before it responds to a request number, or null for no wait.</param>
    public static async Task<TokenServer> StartAsync(Func<int, TokenResponse> respond, Func<int, TimeSpan?> delayFor)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var application = builder.Build();
        var server = new TokenServer(application);
        var counter = 0;
        application.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            server._requests.Enqueue(new TokenRequest(context.Request.Method, context.Request.ContentType, body));
            var number = Interlocked.Increment(ref counter);
            var response = respond(number);
            if (delayFor(number) is { } wait)
            {
                await Task.Delay(wait, context.RequestAborted);
            }

            context.Response.StatusCode = response.StatusCode;
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        });
        await application.StartAsync();
        server.Url = application.Urls.Single() + "/oauth/token";
        return server;
    }

    /// <summary>Starts a server that returns the tokens <c>token-1</c>, <c>token-2</c> and so on, in request order.</summary>
    /// <param name="expiresIn">The <c>expires_in</c> of every token, or null to leave it out.</param>
    /// <param name="delay">How long the server waits before it responds.</param>
    public static Task<TokenServer> StartNumberedAsync(object? expiresIn, TimeSpan? delay = null) =>
        StartAsync(number => TokenResponse.Token($"token-{number}", expiresIn), delay);

    public async ValueTask DisposeAsync()
    {
        await _application.StopAsync();
        await _application.DisposeAsync();
    }
}

/// <summary>One request a <see cref="TokenServer"/> received.</summary>
public sealed record TokenRequest(string Method, string? ContentType, string Body);
