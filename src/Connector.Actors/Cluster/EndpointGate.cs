using System.Globalization;
using Akka.Actor;
using Akka.Event;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Cluster;

/// <summary>
/// A node's view of one endpoint's control state, checked before every attempt. It waits while the endpoint is
/// paused and lets one probe at a time through while the circuit is half-open. It also hands out rate permits that it
/// leases in blocks from the endpoint entity, and requests the next block before the current one runs out.
/// When the entity leaves permit requests without any reply for longer than the lease timeout, requests waiting for a
/// permit fail, and so do new ones until a reply arrives. With no rate limit and a closed circuit, entering costs two
/// field reads and no message.
/// </summary>
internal sealed class EndpointGate
{
    private readonly EndpointSettings _settings;
    private readonly IActorRef _entities;
    private readonly TimeProvider _time;
    private readonly IActorRef _mailbox;
    private readonly object _lock = new();
    private readonly Queue<TaskCompletionSource> _permitWaiters = new();
    private readonly SemaphoreSlim _probe = new(1, 1);
    private readonly string _node;
    private readonly int _blockSize;
    private readonly TimeSpan _leaseResendInterval;
    private readonly ILoggingAdapter _log;
    private long _pausedUntilTicks;
    private long _lastUsed = Environment.TickCount64;
    private volatile bool _halfOpen;
    private int _consecutiveFailures;
    private int _available;
    private DateTimeOffset _validUntil;
    private bool _leasePending;
    private DateTimeOffset _leaseRequested;
    private DateTimeOffset? _unansweredSince;
    private bool _entityUnresponsive;

    public EndpointGate(EndpointSettings settings, IActorRef entities, ActorSystem system, TimeProvider time)
    {
        _settings = settings;
        _entities = entities;
        _time = time;
        _node = system.Name + "@" + Guid.NewGuid().ToString("N");
        _blockSize = settings.Burst;

        // A lease request that got no reply, because the entity was moving to another node, is sent again every 2 s.
        // A lease timeout under 4 s shortens the interval, so the entity gets at least two requests before it expires.
        _leaseResendInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, settings.LeaseTimeout.Ticks / 2));
        _log = Logging.GetLogger(system, typeof(EndpointGate));
        _mailbox = system.ActorOf(Props.Create(() => new GateActor(this)));

        // The gate subscribes before it can send a permit request, so the entity has the rate limit when the first one
        // arrives. The gate actor also subscribes when it starts, but that may run after the first permit request.
        Subscribe(_mailbox);
    }

    public EndpointSettings Settings => _settings;

    /// <summary>Permits granted so far, for tests and progress.</summary>
    public long PermitsGranted { get; private set; }

    /// <summary>Waits until a request may be sent; the ticket must be completed with the request's outcome.</summary>
    public async ValueTask<GateTicket> EnterAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastUsed, Environment.TickCount64);
        while (true)
        {
            var pausedUntil = new DateTimeOffset(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero);
            var now = _time.GetUtcNow();
            if (pausedUntil > now)
            {
                await Task.Delay(pausedUntil - now, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var probe = false;
            if (_halfOpen)
            {
                await _probe.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!_halfOpen)
                {
                    _probe.Release();
                }
                else
                {
                    probe = true;
                }
            }

            if (_settings.RequestsPerSecond is not null)
            {
                try
                {
                    await TakePermitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    if (probe)
                    {
                        _probe.Release();
                    }

                    throw;
                }
            }

            return new GateTicket(probe);
        }
    }

    /// <summary>Records an attempt's outcome: a response status, or none when the attempt failed without one.</summary>
    public void Complete(GateTicket ticket, int? statusCode, TimeSpan? retryAfter, bool failed)
    {
        if (ticket.IsProbe)
        {
            _probe.Release();
        }

        if (!failed)
        {
            Interlocked.Exchange(ref _consecutiveFailures, 0);
            if (ticket.IsProbe)
            {
                _entities.Tell(new ReportProbeSuccess(_settings.EndpointId));
            }

            return;
        }

        if (retryAfter is { } wait && _settings.HonourRetryAfter && statusCode is 429 or 503)
        {
            // The node pauses at once, without waiting for the entity to tell every node.
            Pause(_time.GetUtcNow() + (wait > _settings.MaxPause ? _settings.MaxPause : wait));
            _entities.Tell(new ReportFailure(_settings.EndpointId, wait, false, $"status {statusCode} with Retry-After {wait.TotalSeconds:0.###} s"));
            return;
        }

        var failures = Interlocked.Increment(ref _consecutiveFailures);
        var thresholdReached = _settings.FailureThreshold > 0 && failures >= _settings.FailureThreshold;
        if (thresholdReached || ticket.IsProbe)
        {
            Interlocked.Exchange(ref _consecutiveFailures, 0);
            var reason = ticket.IsProbe
                ? "the probe request failed"
                : $"{failures} consecutive failures on one node" + (statusCode is { } code ? $", the last with status {code}" : string.Empty);
            _entities.Tell(new ReportFailure(_settings.EndpointId, null, true, reason));
        }
    }

    internal void Subscribe(IActorRef mailbox) => _entities.Tell(new Subscribe(_settings.EndpointId, mailbox, _settings), mailbox);

    /// <summary>True when a request went through the gate within the last <paramref name="window"/>.</summary>
    internal bool UsedWithin(TimeSpan window) => Environment.TickCount64 - Volatile.Read(ref _lastUsed) < window.TotalMilliseconds;

    internal void OnCircuitState(CircuitState state)
    {
        Pause(state.PausedUntil ?? DateTimeOffset.MinValue, replace: true);
        _halfOpen = state.HalfOpen;
    }

    internal void OnLeased(PermitsLeased leased)
    {
        var askAgain = TimeSpan.Zero;
        var release = new List<TaskCompletionSource>();
        TimeSpan? recoveredAfter = null;
        lock (_lock)
        {
            _leasePending = false;

            // Any reply, including one with zero permits because the limit is reached, shows that the entity is reachable.
            if (_entityUnresponsive)
            {
                recoveredAfter = _time.GetUtcNow() - _unansweredSince;
                _entityUnresponsive = false;
            }

            _unansweredSince = null;
            if (leased.Permits > 0)
            {
                PermitsGranted += leased.Permits;

                // Permits left from the previous block are kept, so a block that arrives early wastes none of them.
                _available = (_time.GetUtcNow() <= _validUntil ? _available : 0) + leased.Permits;
                _validUntil = leased.ValidUntil;
                while (_available > 0 && _permitWaiters.Count > 0)
                {
                    _available--;
                    release.Add(_permitWaiters.Dequeue());
                }
            }
            else
            {
                askAgain = leased.RetryAfter;
            }

            if (_permitWaiters.Count > 0 && leased.Permits > 0)
            {
                RequestLease();
            }
        }

        if (recoveredAfter is { } silence)
        {
            _log.Info(
                "Endpoint {0}: the endpoint entity replied to a permit request after {1} s without replies, so requests get rate permits again",
                _settings.EndpointId,
                silence.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture));
        }

        foreach (var waiter in release)
        {
            waiter.TrySetResult();
        }

        if (askAgain > TimeSpan.Zero)
        {
            _mailbox.Tell(new GateActor.AskAgainAfter(askAgain));
        }
    }

    internal void OnTick()
    {
        var expired = new List<TaskCompletionSource>();
        var becameUnresponsive = false;
        TimeSpan unanswered;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (_leasePending && now - _leaseRequested > _leaseResendInterval)
            {
                _leasePending = false;
            }

            // When an early request for the next block got no reply and no request waits for a permit, the gate stops
            // asking. The silence then does not show that the entity is unreachable, so the clock is reset.
            if (!_leasePending && _permitWaiters.Count == 0 && !_entityUnresponsive)
            {
                _unansweredSince = null;
            }

            unanswered = _unansweredSince is { } since ? now - since : TimeSpan.Zero;
            if (unanswered > _settings.LeaseTimeout)
            {
                becameUnresponsive = !_entityUnresponsive;
                _entityUnresponsive = true;
                expired.AddRange(_permitWaiters);
                _permitWaiters.Clear();
            }

            // While the entity is unresponsive the gate keeps asking, so that it notices when the entity replies again.
            if (!_leasePending && (_permitWaiters.Count > 0 || _entityUnresponsive))
            {
                RequestLease();
            }
        }

        if (becameUnresponsive)
        {
            _log.Warning(
                "Endpoint {0}: the endpoint entity did not reply to permit requests for {1} s, so {2} waiting request(s) and new ones fail until it replies",
                _settings.EndpointId,
                unanswered.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture),
                expired.Count);
        }

        foreach (var waiter in expired)
        {
            waiter.TrySetException(new PermitLeaseTimeoutException(_settings.EndpointId, unanswered, _settings.LeaseTimeout));
        }
    }

    private Task TakePermitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now > _validUntil)
            {
                _available = 0;
            }

            if (_available > 0)
            {
                _available--;
                if (_available < Math.Max(1, _blockSize / 2) && !_leasePending)
                {
                    RequestLease();
                }

                return Task.CompletedTask;
            }

            if (_entityUnresponsive)
            {
                return Task.FromException(new PermitLeaseTimeoutException(_settings.EndpointId, now - _unansweredSince!.Value, _settings.LeaseTimeout));
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _permitWaiters.Enqueue(waiter);
            if (!_leasePending)
            {
                RequestLease();
            }
        }

        return cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task;
    }

    private void RequestLease()
    {
        _leasePending = true;
        _leaseRequested = _time.GetUtcNow();
        _unansweredSince ??= _leaseRequested;
        _entities.Tell(new LeasePermits(_settings.EndpointId, _blockSize, _node, _settings), _mailbox);
    }

    private void Pause(DateTimeOffset until, bool replace = false)
    {
        var ticks = until.UtcTicks;
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntilTicks);
            if (!replace && current >= ticks)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntilTicks, ticks, current) != current);
    }

    /// <summary>Receives the entity's pushes and replies for the gate, and re-subscribes so a moved entity learns of it.</summary>
    private sealed class GateActor : ReceiveActor, IWithTimers
    {
        public GateActor(EndpointGate gate)
        {
            Receive<CircuitState>(gate.OnCircuitState);
            Receive<PermitsLeased>(gate.OnLeased);
            Receive<AskAgainAfter>(message => Timers.StartSingleTimer("ask-again", Tick.Instance, message.Delay));
            Receive<Tick>(_ => gate.OnTick());
            Receive<Heartbeat>(_ =>
            {
                // An idle node stops its heartbeat, so that an endpoint no node uses can passivate.
                if (gate.UsedWithin(TimeSpan.FromSeconds(10)))
                {
                    gate.Subscribe(Self);
                }
            });
            gate.Subscribe(Self);
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, TimeSpan.FromSeconds(5));
            Timers.StartPeriodicTimer("tick", Tick.Instance, TimeSpan.FromMilliseconds(250));
        }

        public sealed record AskAgainAfter(TimeSpan Delay);

        private sealed class Tick
        {
            public static readonly Tick Instance = new();
        }

        private sealed class Heartbeat
        {
            public static readonly Heartbeat Instance = new();
        }
    }
}
