using Connector.Actors.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Connector.Actors.Sink;

/// <summary>Services an HTTP sink uses: logging, the clock, counters and an optional request callback.</summary>
public sealed class HttpSinkOptions
{
    /// <summary>The logger factory; nothing is logged by default.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// The actor system whose endpoint entities share OIDC tokens, rate limits and pauses; sharded when it is a
    /// cluster member. Without one, tokens are cached per table, and a rate limit or circuit breaker runs in a
    /// private local actor system.
    /// </summary>
    public Akka.Actor.ActorSystem? ActorSystem { get; init; }

    /// <summary>The clock for retries, timeouts and tokens.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The request counters to update; a new set by default.</summary>
    public ConnectorMetrics Metrics { get; init; } = new();

    /// <summary>Called once per request with its final outcome; an exception it throws is logged and counted.</summary>
    public Action<SinkRequestOutcome>? RequestCallback { get; init; }
}
