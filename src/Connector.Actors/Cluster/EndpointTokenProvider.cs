using Akka.Actor;
using Connector.Actors.Auth;
using Connector.Actors.Http;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Cluster;

/// <summary>
/// OIDC tokens shared through the endpoint entity. The node caches a token until its expiry and otherwise requests one
/// from the entity, which returns the cluster's token or elects this node to fetch it, so one fetch serves the cluster.
/// </summary>
/// <remarks>
/// Concurrent callers on this node share one acquisition, which runs independently of the callers' cancellation: a
/// caller whose attempt times out stops waiting, but the acquisition goes on. An elected fetch therefore always runs
/// until the token request's own timeout, reports its outcome to the entity and fills the cache for later attempts.
/// </remarks>
internal sealed class EndpointTokenProvider : IAuthorizationProvider
{
    private readonly string _endpointId;
    private readonly IActorRef _entities;
    private readonly OidcTokenProvider _fetcher;
    private readonly TimeProvider _time;
    private readonly TimeSpan _askTimeout;
    private readonly string _credentialsKey;
    private readonly object _lock = new();
    private TokenIssued? _cached;
    private string? _rejected;
    private Task<TokenIssued>? _acquisition;
    private long _generation;

    public EndpointTokenProvider(
        string endpointId, OidcSettings oidc, IActorRef entities, OidcTokenProvider fetcher, TimeProvider time, TimeSpan requestTimeout)
    {
        _endpointId = endpointId;

        // Only a hash of the credentials leaves the node; tables with other credentials get their own token.
        _credentialsKey = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(oidc.TokenEndpoint.AbsoluteUri + "\n" + oidc.TokenRequest)));
        _entities = entities;
        _fetcher = fetcher;
        _time = time;

        // The fetcher's token requests time out after requestTimeout, so the entity's wait for a fetch this node
        // was elected for covers the whole token request.
        _askTimeout = requestTimeout + TimeSpan.FromSeconds(10);
    }

    public async ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        Task<TokenIssued> acquisition;
        lock (_lock)
        {
            if (_cached is { ExpiresAt: { } expiresAt } cached && _time.GetUtcNow() < expiresAt)
            {
                return cached.HeaderValue;
            }

            // A rejected token starts a new acquisition even while one runs, because the running one may return
            // the rejected token again.
            if (_acquisition is null || _rejected is not null)
            {
                var rejected = _rejected;
                var generation = ++_generation;
                _rejected = null;

                // Task.Run makes sure the acquisition is stored before it can finish and clear itself.
                _acquisition = Task.Run(() => AcquireAsync(rejected, generation));
            }

            acquisition = _acquisition;
        }

        var issued = await acquisition.WaitAsync(cancellationToken).ConfigureAwait(false);
        return issued.HeaderValue;
    }

    public void Invalidate(string rejectedValue)
    {
        lock (_lock)
        {
            if (_cached?.HeaderValue == rejectedValue)
            {
                _cached = null;
            }

            _rejected = rejectedValue;
        }
    }

    /// <summary>Requests the token from the entity and fetches it when elected; only the latest acquisition fills the cache.</summary>
    private async Task<TokenIssued> AcquireAsync(string? rejected, long generation)
    {
        TokenIssued? issued = null;
        try
        {
            IEndpointMessage reply;
            try
            {
                reply = await _entities.Ask<IEndpointMessage>(
                    new AcquireToken(_endpointId, _credentialsKey, rejected, _askTimeout), _askTimeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException exception)
            {
                throw new OidcTokenException(
                    $"The endpoint entity of {_endpointId} did not reply to an OIDC token request within {_askTimeout.TotalSeconds:0.###} s.",
                    exception,
                    isTransient: true);
            }

            issued = reply switch
            {
                TokenIssued token => token,
                FetchToken => await FetchForClusterAsync().ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name} from endpoint {_endpointId}."),
            };
            return issued;
        }
        finally
        {
            lock (_lock)
            {
                if (_generation == generation)
                {
                    _acquisition = null;
                    if (issued is not null)
                    {
                        _cached = issued.ExpiresAt is null ? null : issued;
                    }
                }
            }
        }
    }

    /// <summary>Fetches the token for the cluster and reports the outcome to the entity, whether it succeeds or fails.</summary>
    private async Task<TokenIssued> FetchForClusterAsync()
    {
        try
        {
            // No caller's token cancels the fetch: the token request's own timeout bounds it.
            var (header, expiresAt) = await _fetcher.FetchTokenAsync(CancellationToken.None).ConfigureAwait(false);
            _entities.Tell(new TokenFetched(_endpointId, _credentialsKey, header, expiresAt, null));
            return new TokenIssued(_endpointId, header, expiresAt);
        }
        catch (Exception exception)
        {
            _entities.Tell(new TokenFetched(_endpointId, _credentialsKey, null, null, exception.Message));
            throw;
        }
    }
}
