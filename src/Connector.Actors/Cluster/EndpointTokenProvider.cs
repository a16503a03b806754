using Akka.Actor;
using Connector.Actors.Auth;
using Connector.Actors.Http;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Cluster;

/// <summary>
/// OIDC tokens shared through the endpoint entity. The node caches a token until its expiry and otherwise requests one
/// from the entity, which returns the cluster's token or elects this node to fetch it, so one fetch serves the cluster.
/// </summary>
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
        _askTimeout = requestTimeout + TimeSpan.FromSeconds(10);
    }

    public async ValueTask<string> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        string? rejected;
        lock (_lock)
        {
            if (_cached is { ExpiresAt: { } expiresAt } cached && _time.GetUtcNow() < expiresAt)
            {
                return cached.HeaderValue;
            }

            rejected = _rejected;
            _rejected = null;
        }

        var reply = await _entities.Ask<IEndpointMessage>(new AcquireToken(_endpointId, _credentialsKey, rejected), _askTimeout, cancellationToken).ConfigureAwait(false);
        switch (reply)
        {
            case TokenIssued issued:
                Cache(issued);
                return issued.HeaderValue;
            case FetchToken:
                return await FetchForClusterAsync(cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"Unexpected reply {reply.GetType().Name} from endpoint {_endpointId}.");
        }
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

    private async Task<string> FetchForClusterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var (header, expiresAt) = await _fetcher.FetchTokenAsync(cancellationToken).ConfigureAwait(false);
            var issued = new TokenIssued(_endpointId, header, expiresAt);
            _entities.Tell(new TokenFetched(_endpointId, _credentialsKey, header, expiresAt, null));
            Cache(issued);
            return header;
        }
        catch (Exception exception)
        {
            _entities.Tell(new TokenFetched(_endpointId, _credentialsKey, null, null, exception.Message));
            throw;
        }
    }

    private void Cache(TokenIssued issued)
    {
        lock (_lock)
        {
            _cached = issued.ExpiresAt is null ? null : issued;
        }
    }
}
