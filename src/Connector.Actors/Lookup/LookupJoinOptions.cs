using Connector.Actors.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Actors.Lookup;

/// <summary>Services a lookup join uses: logging, the clock and the counters it updates.</summary>
public sealed class LookupJoinOptions
{
    /// <summary>The logger factory; nothing is logged by default.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// The actor system whose endpoint entities share OIDC tokens, rate limits and pauses; sharded when it is a
    /// cluster member. Without one, tokens are cached per table, and a rate limit or circuit breaker runs in a
    /// private local actor system.
    /// </summary>
    public Akka.Actor.ActorSystem? ActorSystem { get; init; }

    /// <summary>The clock for retries, timeouts, cache expiry and tokens.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The counters to update; a new set by default.</summary>
    public ConnectorMetrics Metrics { get; init; } = new();
}
