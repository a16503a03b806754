using Akka.Actor;

namespace Connector.Actors.Cluster;

/// <summary>The messages of the endpoint entity. Each names its endpoint, which is also the sharding entity id.</summary>
public static class EndpointProtocol
{
    /// <summary>A message routed to one endpoint's entity.</summary>
    public interface IEndpointMessage
    {
        /// <summary>The endpoint identity.</summary>
        string EndpointId { get; }
    }

    /// <summary>Registers a node's gate for pushed state changes, and doubles as its heartbeat; the entity replies with the current state.</summary>
    public sealed record Subscribe(string EndpointId, IActorRef Gate, EndpointSettings Settings) : IEndpointMessage;

    /// <summary>The endpoint's circuit state, pushed to every subscribed gate when it changes.</summary>
    /// <param name="EndpointId">The endpoint.</param>
    /// <param name="PausedUntil">Requests wait until this time (UTC), or null when not paused.</param>
    /// <param name="HalfOpen">True after a pause: each node lets one probe request through at a time until one succeeds.</param>
    public sealed record CircuitState(string EndpointId, DateTimeOffset? PausedUntil, bool HalfOpen) : IEndpointMessage;

    /// <summary>A node saw a Retry-After on 429 or 503, or a run of failures past the threshold.</summary>
    public sealed record ReportFailure(string EndpointId, TimeSpan? RetryAfter, bool ThresholdReached, string Reason) : IEndpointMessage;

    /// <summary>A request succeeded while the circuit was half-open.</summary>
    public sealed record ReportProbeSuccess(string EndpointId) : IEndpointMessage;

    /// <summary>
    /// Asks for a block of rate permits. It carries the node's settings, so an entity that started after its node was
    /// lost enforces the rate limit before a Subscribe reaches it.
    /// </summary>
    public sealed record LeasePermits(string EndpointId, int Wanted, string Node, EndpointSettings Settings) : IEndpointMessage;

    /// <summary>A block of permits, usable until <paramref name="ValidUntil"/>; zero permits come with a time to ask again.</summary>
    public sealed record PermitsLeased(string EndpointId, int Permits, DateTimeOffset ValidUntil, TimeSpan RetryAfter) : IEndpointMessage;

    /// <summary>Asks for the endpoint's OIDC token for one set of credentials.</summary>
    /// <param name="EndpointId">The endpoint.</param>
    /// <param name="CredentialsKey">A hash of the token endpoint and request, so tables with other credentials get their own token.</param>
    /// <param name="Rejected">A token value the endpoint rejected with 401, to drop from the cache.</param>
    /// <param name="ReplyTimeout">
    /// How long the requester waits for a reply. The entity drops a waiter after that time. After the entity sends
    /// the requester <see cref="FetchToken"/>, the fetch counts as failed if no outcome arrives within that time, so
    /// the requester sets it above its token request timeout.
    /// </param>
    public sealed record AcquireToken(string EndpointId, string CredentialsKey, string? Rejected, TimeSpan ReplyTimeout) : IEndpointMessage;

    /// <summary>A token to use until <paramref name="ExpiresAt"/>; a null expiry means one request round only.</summary>
    public sealed record TokenIssued(string EndpointId, string HeaderValue, DateTimeOffset? ExpiresAt) : IEndpointMessage;

    /// <summary>No token is cached and no node is fetching one: the receiver fetches it and reports back.</summary>
    public sealed record FetchToken(string EndpointId) : IEndpointMessage;

    /// <summary>The outcome of a fetch that <see cref="FetchToken"/> asked for; a null header value means it failed.</summary>
    public sealed record TokenFetched(string EndpointId, string CredentialsKey, string? HeaderValue, DateTimeOffset? ExpiresAt, string? Error) : IEndpointMessage;
}
