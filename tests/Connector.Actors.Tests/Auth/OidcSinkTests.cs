using Connector.Actors.Options;
using Connector.Actors.Sink;
using Connector.Actors.Tests.Sink;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using static Connector.Actors.Tests.Sink.SinkTestData;

namespace Connector.Actors.Tests.Auth;

/// <summary>OIDC bearer tokens of an http-sink table, against a token endpoint on Kestrel and a sink endpoint on WireMock.</summary>
public sealed class OidcSinkTests : IClassFixture<ActorSystemFixture>, IDisposable
{
    private const string TokenRequestBody = "grant_type=client_credentials&client_id=sink-app&client_secret=S3cret-Request";

    private readonly ActorSystemFixture _actors;
    private readonly WireMockServer _server;

    public OidcSinkTests(ActorSystemFixture actors)
    {
        _actors = actors;
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        _server.Given(Request.Create().WithPath("/orders").UsingPost())
            .AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(200));
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private string[] SentAuthorizations() =>
        _server.LogEntries
            .OrderBy(entry => entry.RequestMessage.DateTime)
            .Select(entry => Assert.Single(entry.RequestMessage.Headers!["Authorization"]))
            .ToArray();

    private Dictionary<string, string> OidcOptions(TokenServer tokens)
    {
        var options = BaseOptions(UrlOf(_server));
        options[CommonOptions.OidcTokenEndpoint] = tokens.Url;
        options[CommonOptions.OidcTokenRequest] = TokenRequestBody;
        return options;
    }

    private static HttpSink CreateSink(Dictionary<string, string> options) =>
        HttpSink.Create(Settings(options), new HttpSinkOptions { TimeProvider = new FakeTimeProvider() });

    [Fact]
    public async Task Batches_ShareOneBearerToken()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        var options = OidcOptions(tokens);
        options[SinkOptions.BatchMaxSize] = "5";
        options[SinkOptions.HeaderPrefix + "Authorization"] = "user:password";
        using var sink = CreateSink(options);

        var result = await Run(sink, Orders(50), _actors.Materializer);

        Assert.Equal(50, result.Delivered);
        Assert.Equal(1, tokens.Count);
        var authorizations = SentAuthorizations();
        Assert.Equal(10, authorizations.Length);
        Assert.All(authorizations, value => Assert.Equal("Bearer token-1", value));
        Assert.Equal(TokenRequestBody, Assert.Single(tokens.Requests).Body);
    }

    [Fact]
    public async Task Unauthorized_RefetchesTokenOnce()
    {
        _server.Given(Request.Create().WithPath("/orders").WithHeader("Authorization", "Bearer token-1"))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401));
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600);
        using var sink = CreateSink(OidcOptions(tokens));

        var result = await Run(sink, Orders(3), _actors.Materializer);

        Assert.Equal(3, result.Delivered);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], SentAuthorizations());
    }

    [Fact]
    public async Task TokenError_FailsSinkWithEndpoint()
    {
        await using var tokens = await TokenServer.StartAsync(_ => new TokenResponse(400, "invalid request: " + TokenRequestBody, "text/plain"));
        using var sink = CreateSink(OidcOptions(tokens));

        var failure = await RunFailing(sink, Orders(3), _actors.Materializer);

        Assert.StartsWith(
            $"Sink table 'orders' failed: POST {UrlOf(_server)} failed because no OIDC token was available after 1 attempt(s)",
            failure.Message);
        Assert.Contains($"OIDC token endpoint {tokens.Url} returned status 400", failure.Message);
        Assert.DoesNotContain("S3cret-Request", failure.ToString());
        Assert.Equal(1, tokens.Count);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task TransientTokenError_RetriesSinkRequest()
    {
        await using var tokens = await TokenServer.StartAsync(number => number == 1
            ? new TokenResponse(503, """{"error":"temporarily_unavailable"}""")
            : TokenResponse.Token("token-2", 3600));
        var options = OidcOptions(tokens);
        options[SinkOptions.FixedDelay] = "10ms";

        // The retry waits on the system clock, so this sink does not use the fake one.
        using var sink = HttpSink.Create(Settings(options));
        var result = await Run(sink, Orders(3), _actors.Materializer);

        Assert.Equal(3, result.Delivered);
        Assert.Equal(2, tokens.Count);
        Assert.All(SentAuthorizations(), value => Assert.Equal("Bearer token-2", value));
    }

    [Fact]
    public async Task TransientTokenError_FailsSinkAfterRetries()
    {
        await using var tokens = await TokenServer.StartAsync(_ => new TokenResponse(503, """{"error":"temporarily_unavailable"}"""));
        var options = OidcOptions(tokens);
        options[SinkOptions.MaxRetries] = "2";
        options[SinkOptions.FixedDelay] = "10ms";
        options[SinkOptions.BatchMaxSize] = "3";
        using var sink = HttpSink.Create(Settings(options));

        var failure = await RunFailing(sink, Orders(3), _actors.Materializer);

        Assert.StartsWith(
            $"Sink table 'orders' failed: POST {UrlOf(_server)} failed because no OIDC token was available after 3 attempt(s)",
            failure.Message);
        Assert.Contains($"OIDC token endpoint {tokens.Url} returned status 503", failure.Message);
        Assert.Equal(3, tokens.Count);
        Assert.Empty(_server.LogEntries);
    }
}
