using Akka.Actor;
using Connector.Actors.Auth;
using Connector.Actors.Http;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Cluster;

/// <summary>
/// OIDC tokens shared through the endpoint entity: the node caches a token until its expiry and otherwise asks the
/// entity, which hands out the cluster's token or elects this node to fetch one, so one fetch serves the cluster.
/// </summary>
internal sealed class EndpointTokenProvider : IAuthorizationProvider
{
    private readonly string _endpointId;
    private readonly IActorRef _entities;
    private readonly OidcTokenProvider _fetcher;
    private readonly TimeProvider _time;
    private readonly TimeSpan _askTimeout;
    private readonly object _lock = new();
    private TokenIssued? _cached;
    private string? _rejected;

    public EndpointTokenProvider(string endpointId, IActorRef entities, OidcTokenProvider fetcher, TimeProvider time, TimeSpan requestTimeout)
    {
        _endpointId = endpointId;
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

        var reply = await _entities.Ask<IEndpointMessage>(new AcquireToken(_endpointId, rejected), _askTimeout, cancellationToken).ConfigureAwait(false);
        switch (reply)
        {
            case TokenIssued issued:
                Cache(issued);
                return issued.HeaderValue;
            case TokenFailed failed:
                throw new OidcTokenException(failed.Error);
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
            _entities.Tell(new TokenFetched(_endpointId, header, expiresAt, null));
            Cache(issued);
            return header;
        }
        catch (Exception exception)
        {
            _entities.Tell(new TokenFetched(_endpointId, null, null, exception.Message));
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
