using Akka.Actor;
using Connector.Actors.Auth;
using Connector.Actors.Cluster;
using Connector.Actors.Tests.Auth;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Tests.Cluster;

/// <summary>
/// OIDC tokens through the endpoint entity of an actor system without a cluster, which runs the entity as a local
/// child: the fetch lease, waiters that stopped listening, and an elected fetch that outlives its caller.
/// </summary>
public sealed class EndpointTokenTests : IDisposable
{
    private const string EndpointId = "http://127.0.0.1:1";
    private const string CredentialsKey = "key";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private readonly ActorSystem _system = ActorSystem.Create("endpoint-token-test", "akka.loglevel = WARNING");
    private readonly HttpClient _client = new();

    private IActorRef Entities => EndpointCoordinator.Get(_system).Entities;

    public void Dispose()
    {
        _client.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private Task<IEndpointMessage> AcquireAsync(TimeSpan replyTimeout) =>
        Entities.Ask<IEndpointMessage>(new AcquireToken(EndpointId, CredentialsKey, null, replyTimeout), AskTimeout);

    private EndpointTokenProvider CreateProvider(TokenServer tokens, TimeSpan requestTimeout)
    {
        var oidc = new OidcSettings(new Uri(tokens.Url), "grant_type=client_credentials", TimeSpan.Zero);
        var fetcher = new OidcTokenProvider(oidc, _client, requestTimeout, TimeProvider.System);
        return new EndpointTokenProvider(EndpointId, oidc, Entities, fetcher, TimeProvider.System, requestTimeout);
    }

    [Fact]
    public async Task FailedFetch_SkipsWaiterThatIsGone()
    {
        Assert.IsType<FetchToken>(await AcquireAsync(TimeSpan.FromSeconds(5)));

        // This waiter stops listening after 200 ms, as an attempt that timed out does.
        var expiredWaiter = Entities.Ask<IEndpointMessage>(
            new AcquireToken(EndpointId, CredentialsKey, null, TimeSpan.FromMilliseconds(200)), TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAsync<AskTimeoutException>(() => expiredWaiter);

        // The entity's deadline for the waiter starts when the request arrives, a moment after the Ask started.
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        Entities.Tell(new TokenFetched(EndpointId, CredentialsKey, null, null, "token request timed out"));

        var next = await AcquireAsync(TimeSpan.FromSeconds(5));

        Assert.IsType<FetchToken>(next);
    }

    [Fact]
    public async Task SilentFetcher_LeaseExpires_NextRequesterFetches()
    {
        Assert.IsType<FetchToken>(await AcquireAsync(TimeSpan.FromMilliseconds(300)));
        await Task.Delay(TimeSpan.FromMilliseconds(400));

        var next = await AcquireAsync(TimeSpan.FromSeconds(5));

        Assert.IsType<FetchToken>(next);
    }

    [Fact]
    public async Task FailedFetch_HandsFetchToLiveWaiter()
    {
        Assert.IsType<FetchToken>(await AcquireAsync(TimeSpan.FromSeconds(5)));
        var waiter = AcquireAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromMilliseconds(100));

        Entities.Tell(new TokenFetched(EndpointId, CredentialsKey, null, null, "token request timed out"));

        Assert.IsType<FetchToken>(await waiter);
    }

    /// <summary>
    /// The caller that made this node the fetcher stops waiting after 200 ms, but the token request goes on within
    /// its own 2 s timeout, fills this node's cache and reaches the entity, so another node needs no request.
    /// </summary>
    [Fact]
    public async Task ElectedFetch_OutlivesCaller_FillsCaches()
    {
        await using var tokens = await TokenServer.StartAsync(
            number => TokenResponse.Token($"token-{number}", 3600),
            number => number == 1 ? TimeSpan.FromMilliseconds(800) : null);
        var provider = CreateProvider(tokens, TimeSpan.FromSeconds(2));
        var otherNode = CreateProvider(tokens, TimeSpan.FromSeconds(2));

        using (var attempt = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.GetAuthorizationAsync(attempt.Token).AsTask());
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        using var retry = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.Equal("Bearer token-1", await provider.GetAuthorizationAsync(retry.Token));
        Assert.Equal("Bearer token-1", await otherNode.GetAuthorizationAsync(retry.Token));
        Assert.Equal(1, tokens.Count);
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneAcquisition()
    {
        await using var tokens = await TokenServer.StartNumberedAsync(expiresIn: 3600, delay: TimeSpan.FromMilliseconds(200));
        var provider = CreateProvider(tokens, TimeSpan.FromSeconds(2));

        var values = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => provider.GetAuthorizationAsync(CancellationToken.None).AsTask()));

        Assert.All(values, value => Assert.Equal("Bearer token-1", value));
        Assert.Equal(1, tokens.Count);
    }
}
