using Akka.Actor;
using Akka.Event;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Cluster;

/// <summary>
/// The control plane of one endpoint, one entity for the whole cluster. It coordinates OIDC token fetches so that one
/// node fetches per expiry window, and shares the rate-limit budget among the nodes that lease permits. It pauses every
/// node's traffic when the endpoint sends Retry-After or keeps failing. The data path never passes through it.
/// </summary>
internal sealed class EndpointEntity : ReceiveActor, IWithTimers
{
    private const string HalfOpenTimer = "half-open";
    private const string PruneTimer = "prune";

    private static readonly TimeSpan LeaseValidity = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ActiveNodeWindow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SubscriberLifetime = TimeSpan.FromSeconds(30);

    private readonly string _endpointId;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, DateTimeOffset> _subscribers = [];
    private readonly Dictionary<string, NodeBucket> _leasingNodes = [];
    private readonly Dictionary<string, TokenState> _tokens = new(StringComparer.Ordinal);
    private EndpointSettings? _settings;
    private DateTimeOffset? _pausedUntil;
    private bool _halfOpen;

    public EndpointEntity(string endpointId, TimeProvider time)
    {
        _endpointId = endpointId;
        _time = time;

        Receive<Subscribe>(OnSubscribe);
        Receive<ReportFailure>(OnFailure);
        Receive<ReportProbeSuccess>(_ => OnProbeSuccess());
        Receive<LeasePermits>(OnLease);
        Receive<AcquireToken>(OnAcquireToken);
        Receive<TokenFetched>(OnTokenFetched);
        Receive<HalfOpenDue>(_ => OnHalfOpenDue());
        Receive<PruneDue>(_ => Prune());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Creates the entity's props.</summary>
    public static Props Props(string endpointId, TimeProvider time) => Akka.Actor.Props.Create(() => new EndpointEntity(endpointId, time));

    protected override void PreStart()
    {
        // The log source is the entity's actor path, which names the node that hosts it.
        _log.Info("Endpoint entity {0} started", _endpointId);
        Timers.StartPeriodicTimer(PruneTimer, PruneDue.Instance, TimeSpan.FromSeconds(10));
    }

    protected override void PostStop() => _log.Info("Endpoint entity {0} stopped", _endpointId);

    private void OnSubscribe(Subscribe subscribe)
    {
        _settings = subscribe.Settings;
        _subscribers[subscribe.Gate] = _time.GetUtcNow();
        subscribe.Gate.Tell(CurrentState());
    }

    private void OnFailure(ReportFailure failure)
    {
        var settings = _settings;
        if (settings is null)
        {
            return;
        }

        TimeSpan? pause = null;
        if (failure.RetryAfter is { } retryAfter && settings.HonourRetryAfter)
        {
            pause = retryAfter > settings.MaxPause ? settings.MaxPause : retryAfter;
        }

        if (failure.ThresholdReached || _halfOpen)
        {
            var open = settings.OpenDuration;
            pause = pause is { } p && p > open ? p : open;
        }

        if (pause is not { } duration || duration <= TimeSpan.Zero)
        {
            return;
        }

        var until = _time.GetUtcNow() + duration;
        if (_pausedUntil is { } current && current >= until)
        {
            return;
        }

        _pausedUntil = until;
        _halfOpen = false;
        _log.Warning("Endpoint {0} paused for {1} ms on every node: {2}", _endpointId, duration.TotalMilliseconds, failure.Reason);
        Timers.StartSingleTimer(HalfOpenTimer, HalfOpenDue.Instance, duration);
        Broadcast();
    }

    private void OnHalfOpenDue()
    {
        _pausedUntil = null;
        _halfOpen = true;
        _log.Info("Endpoint {0} pause ended; letting probe requests through", _endpointId);
        Broadcast();
    }

    private void OnProbeSuccess()
    {
        if (!_halfOpen)
        {
            return;
        }

        _halfOpen = false;
        _log.Info("Endpoint {0} resumed: a probe request succeeded", _endpointId);
        Broadcast();
    }

    private void OnLease(LeasePermits lease)
    {
        var now = _time.GetUtcNow();

        // An entity that started after its node was lost gets its first Subscribe with a node's next heartbeat, up to
        // 5 s later. Until then it takes the rate limit from the permit requests instead of granting each one in full.
        _settings ??= lease.Settings;
        var settings = _settings;
        if (settings.RequestsPerSecond is not { } rate)
        {
            Sender.Tell(new PermitsLeased(_endpointId, lease.Wanted, now + LeaseValidity, TimeSpan.Zero));
            return;
        }

        var isNewNode = false;
        if (!_leasingNodes.TryGetValue(lease.Node, out var bucket))
        {
            bucket = new NodeBucket(now);
            _leasingNodes[lease.Node] = bucket;
            isNewNode = true;
        }

        bucket.LastLease = now;
        foreach (var idle in _leasingNodes.Where(n => now - n.Value.LastLease > ActiveNodeWindow).Select(n => n.Key).ToArray())
        {
            _leasingNodes.Remove(idle);
        }

        // Each active node refills its own share of the budget, so the shares add up to the limit and a node that
        // leases more often cannot take the others' permits.
        var nodeRate = rate / _leasingNodes.Count;
        var nodeBurst = Math.Max(1.0, settings.Burst / (double)_leasingNodes.Count);
        if (isNewNode)
        {
            // A new bucket starts full, with the node's share of the burst, so a node's first requests go out at once.
            // NOTE: buckets idle for ActiveNodeWindow are dropped, so with a burst above two seconds of the limit a
            // returning node starts with more permits than its old bucket would have refilled.
            bucket.Permits = nodeBurst;
        }

        bucket.Permits = Math.Min(nodeBurst, bucket.Permits + ((now - bucket.LastRefill).TotalSeconds * nodeRate));
        bucket.LastRefill = now;
        var granted = (int)Math.Min(lease.Wanted, Math.Floor(bucket.Permits));
        if (granted <= 0)
        {
            var wait = TimeSpan.FromSeconds((1 - bucket.Permits) / nodeRate);
            Sender.Tell(new PermitsLeased(_endpointId, 0, now, wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait));
            return;
        }

        bucket.Permits -= granted;
        Sender.Tell(new PermitsLeased(_endpointId, granted, now + LeaseValidity, TimeSpan.Zero));
    }

    private void OnAcquireToken(AcquireToken acquire)
    {
        var now = _time.GetUtcNow();
        if (!_tokens.TryGetValue(acquire.CredentialsKey, out var state))
        {
            state = new TokenState();
            _tokens[acquire.CredentialsKey] = state;
        }

        if (acquire.Rejected is not null && state.Token?.HeaderValue == acquire.Rejected)
        {
            state.Token = null;
        }

        if (state.Token is { ExpiresAt: { } expiresAt } token && now < expiresAt)
        {
            Sender.Tell(token);
            return;
        }

        state.Token = null;
        if (state.Fetcher is not null && now < state.FetchDeadline)
        {
            state.Waiters.Add(new TokenWaiter(Sender, now + acquire.ReplyTimeout, acquire.ReplyTimeout));
            return;
        }

        // This requester fetches, because no fetch is running or the fetching node sent no outcome within its reply
        // timeout.
        Elect(state, new TokenWaiter(Sender, now + acquire.ReplyTimeout, acquire.ReplyTimeout));
    }

    private void OnTokenFetched(TokenFetched fetched)
    {
        if (!_tokens.TryGetValue(fetched.CredentialsKey, out var state))
        {
            return;
        }

        state.Fetcher = null;
        if (fetched.HeaderValue is not { } header)
        {
            // The fetching node failed, perhaps because of its own network path or proxy. The next waiting node
            // tries with its own client instead of every waiter failing with someone else's error. Waiters whose
            // reply timeout has passed no longer listen, so they are dropped instead of being elected.
            var now = _time.GetUtcNow();
            state.Waiters.RemoveAll(waiter => waiter.Deadline <= now);
            _log.Warning(
                "OIDC token fetch for endpoint {0} failed with {1} node request(s) still waiting: {2}",
                _endpointId,
                state.Waiters.Count,
                fetched.Error ?? "no reason given");
            if (state.Waiters.Count > 0)
            {
                var next = state.Waiters[0];
                state.Waiters.RemoveAt(0);
                Elect(state, next);
            }

            return;
        }

        var issued = new TokenIssued(_endpointId, header, fetched.ExpiresAt);
        state.Token = fetched.ExpiresAt is null ? null : issued;
        var replyTime = _time.GetUtcNow();
        foreach (var waiter in state.Waiters.Where(waiter => waiter.Deadline > replyTime))
        {
            waiter.Requester.Tell(issued);
        }

        state.Waiters.Clear();
    }

    /// <summary>Sends a requester <see cref="FetchToken"/> and counts the fetch as running for the requester's reply timeout.</summary>
    private void Elect(TokenState state, TokenWaiter requester)
    {
        state.Fetcher = requester.Requester;
        state.FetchDeadline = _time.GetUtcNow() + requester.ReplyTimeout;
        requester.Requester.Tell(new FetchToken(_endpointId));
    }

    private void Prune()
    {
        var now = _time.GetUtcNow();
        foreach (var stale in _subscribers.Where(s => now - s.Value > SubscriberLifetime).Select(s => s.Key).ToArray())
        {
            _subscribers.Remove(stale);
        }
    }

    private CircuitState CurrentState() =>
        new(_endpointId, _pausedUntil is { } until && until > _time.GetUtcNow() ? until : null, _halfOpen);

    private void Broadcast()
    {
        var state = CurrentState();
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Tell(state);
        }
    }

    private sealed class NodeBucket(DateTimeOffset now)
    {
        public double Permits { get; set; }

        public DateTimeOffset LastRefill { get; set; } = now;

        public DateTimeOffset LastLease { get; set; } = now;
    }

    private sealed class TokenState
    {
        public TokenIssued? Token { get; set; }

        public IActorRef? Fetcher { get; set; }

        /// <summary>The time after which the elected node's fetch counts as failed, so another requester fetches.</summary>
        public DateTimeOffset FetchDeadline { get; set; }

        public List<TokenWaiter> Waiters { get; } = [];
    }

    /// <summary>A requester of a token, the time until which it waits for the reply, and its reply timeout.</summary>
    private sealed record TokenWaiter(IActorRef Requester, DateTimeOffset Deadline, TimeSpan ReplyTimeout);

    private sealed class HalfOpenDue
    {
        public static readonly HalfOpenDue Instance = new();
    }

    private sealed class PruneDue
    {
        public static readonly PruneDue Instance = new();
    }
}
