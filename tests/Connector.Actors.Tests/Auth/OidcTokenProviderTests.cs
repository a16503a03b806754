using System.Net;
using System.Text;
using Connector.Actors.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Connector.Actors.Tests.Auth;

/// <summary>The token provider on its own, with an HTTP handler in the test instead of a server.</summary>
public sealed class OidcTokenProviderTests
{
    private static readonly OidcSettings Settings =
        new(new Uri("http://127.0.0.1:9/oauth/token"), "grant_type=client_credentials", TimeSpan.FromSeconds(1));

    [Fact]
    public async Task SynchronousFailure_NextCallFetchesAgain()
    {
        using var handler = new FailingOnceHandler();
        using var client = new HttpClient(handler);
        var provider = new OidcTokenProvider(Settings, client, TimeSpan.FromSeconds(5), new FakeTimeProvider());

        var failure = await Assert.ThrowsAsync<OidcTokenException>(() => provider.GetAuthorizationAsync(CancellationToken.None).AsTask());
        var authorization = await provider.GetAuthorizationAsync(CancellationToken.None);

        Assert.Contains("failed: connection refused", failure.Message);
        Assert.Equal("Bearer token-2", authorization);
        Assert.Equal(2, handler.Calls);
    }

    [Theory]
    [InlineData("abc\r\nX-Injected: 1")]
    [InlineData("abc\u0000def")]
    [InlineData("t\u00f6ken")]
    [InlineData("two words")]
    public async Task UnsendableToken_RejectedWithoutToken(string accessToken)
    {
        using var handler = new TokenHandler(accessToken);
        using var client = new HttpClient(handler);
        var provider = new OidcTokenProvider(Settings, client, TimeSpan.FromSeconds(5), new FakeTimeProvider());

        var failure = await Assert.ThrowsAsync<OidcTokenException>(() => provider.GetAuthorizationAsync(CancellationToken.None).AsTask());

        Assert.StartsWith("OIDC token endpoint http://127.0.0.1:9/oauth/token returned an access_token that cannot be sent", failure.Message);
        Assert.DoesNotContain(accessToken, failure.Message);
        Assert.DoesNotContain("X-Injected", failure.Message);
        Assert.False(failure.IsTransient);
    }

    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2ln-_")]
    [InlineData("a+b/c~d=")]
    [InlineData("opaque:token,with\"punctuation\"")]
    public async Task PrintableToken_Accepted(string accessToken)
    {
        using var handler = new TokenHandler(accessToken);
        using var client = new HttpClient(handler);
        var provider = new OidcTokenProvider(Settings, client, TimeSpan.FromSeconds(5), new FakeTimeProvider());

        var authorization = await provider.GetAuthorizationAsync(CancellationToken.None);

        Assert.Equal("Bearer " + accessToken, authorization);
    }

    /// <summary>Responds to every request with the same access token, serialized as JSON.</summary>
    private sealed class TokenHandler(string accessToken) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = System.Text.Json.JsonSerializer.Serialize(new { access_token = accessToken, expires_in = 60 });
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            });
        }
    }

    /// <summary>
    /// The caller stops waiting after 200 ms, but the shared fetch goes on within its own 2 s timeout and fills the
    /// cache, so the next call needs no second token request.
    /// </summary>
    [Fact]
    public async Task CancelledCaller_FetchStillFillsCache()
    {
        await using var tokens = await TokenServer.StartAsync(
            number => TokenResponse.Token($"token-{number}", 3600),
            number => number == 1 ? TimeSpan.FromMilliseconds(800) : null);
        using var client = new HttpClient();
        var settings = new OidcSettings(new Uri(tokens.Url), "grant_type=client_credentials", TimeSpan.Zero);
        var provider = new OidcTokenProvider(settings, client, TimeSpan.FromSeconds(2), TimeProvider.System);

        using (var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.GetAuthorizationAsync(attempt.Token).AsTask());
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        using var retry = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.Equal("Bearer token-1", await provider.GetAuthorizationAsync(retry.Token));
        Assert.Equal(1, tokens.Count);
    }

    /// <summary>
    /// Fails the first request with a task that is already faulted, so the failure surfaces before the fetch has
    /// ever waited, and responds to later requests with a token.
    /// </summary>
    private sealed class FailingOnceHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            if (call == 1)
            {
                return Task.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"));
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"token-{{call}}","expires_in":60}""", Encoding.UTF8, "application/json"),
            });
        }
    }
}
