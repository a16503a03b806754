using System.Diagnostics;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Connector.Actors.Cluster;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Tests.Cluster;

/// <summary>
/// Tests of the gate's lease timeout against a real actor system and the real endpoint entity, reached through a link
/// actor that the test can disconnect so that the entity never receives the gate's permit requests.
/// </summary>
public sealed class EndpointGateLeaseTimeoutTests : TestKit
{
    private const string EndpointId = "http://127.0.0.1:9";
    private static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    public EndpointGateLeaseTimeoutTests()
        : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public async Task EnterAsync_EntitySilent_FailsEveryWaiter()
    {
        var gate = CreateGate(Settings(50, 5), connected: false, out _);
        var clock = Stopwatch.StartNew();

        var waits = Enumerable.Range(0, 3).Select(_ => gate.EnterAsync(CancellationToken.None).AsTask()).ToArray();

        foreach (var wait in waits)
        {
            var failure = await Assert.ThrowsAsync<PermitLeaseTimeoutException>(() => wait.WaitAsync(WaitLimit));
            Assert.Equal(EndpointId, failure.EndpointId);
            Assert.True(failure.Unanswered > LeaseTimeout, $"the failure reported {failure.Unanswered.TotalMilliseconds:0} ms without a reply");
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the waiters failed after {clock.ElapsedMilliseconds} ms, before the lease timeout");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the waiters failed only after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task EnterAsync_EntitySilent_MessageNamesFix()
    {
        var gate = CreateGate(Settings(50, 5), connected: false, out _);

        var failure = await Assert.ThrowsAsync<PermitLeaseTimeoutException>(
            () => gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(WaitLimit));

        Assert.Contains($"Endpoint '{EndpointId}'", failure.Message, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"did not reply to permit requests for \d+(\.\d)? s"), failure.Message);
        Assert.Contains("http.rate-limit.lease-timeout is 1 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Up member of the cluster", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"'{EndpointCoordinator.TypeName}' shard region", failure.Message, StringComparison.Ordinal);
        Assert.Contains("remove http.rate-limit.requests-per-second", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterAsync_AfterTimeout_FailsAtOnce()
    {
        var gate = CreateGate(Settings(50, 5), connected: false, out _);
        await Assert.ThrowsAsync<PermitLeaseTimeoutException>(() => gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(WaitLimit));

        var next = gate.EnterAsync(CancellationToken.None);

        Assert.True(next.IsCompleted, "a request after the timeout waited instead of failing at once");
        await Assert.ThrowsAsync<PermitLeaseTimeoutException>(() => next.AsTask());
    }

    [Fact]
    public async Task EnterAsync_LimitReached_WaitsPastLeaseTimeout()
    {
        // At 0.4 requests per second the entity's bucket refills its one permit of burst 2.5 s after the first request
        // took it. Until then it replies to every permit request with zero permits and a time to ask again, which is
        // the limit working.
        var settings = Settings(0.4, 1);
        var gate = CreateGate(settings, connected: true, out var link);
        link.Tell(new Subscribe(EndpointId, TestActor, settings));
        ExpectMsg<CircuitState>();

        // The clock starts before the first request, because the entity's refill runs from when it granted the first
        // permit, and the reply can reach the gate late on a busy machine.
        var clock = Stopwatch.StartNew();
        await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(WaitLimit);
        var ticket = await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(WaitLimit);

        Assert.False(ticket.IsProbe);
        Assert.Equal(2, gate.PermitsGranted);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"the permit came after {clock.ElapsedMilliseconds} ms, so the limit did not bind");
    }

    [Fact]
    public async Task EnterAsync_EntityRepliesAgain_Recovers()
    {
        var gate = CreateGate(Settings(50, 5), connected: false, out var link);
        await Assert.ThrowsAsync<PermitLeaseTimeoutException>(() => gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(WaitLimit));

        link.Tell(SwitchableLink.Connect.Instance);

        var deadline = DateTime.UtcNow + WaitLimit;
        Exception? lastFailure = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(WaitLimit);
                lastFailure = null;
                break;
            }
            catch (PermitLeaseTimeoutException exception)
            {
                lastFailure = exception;
                await Task.Delay(100);
            }
        }

        Assert.Null(lastFailure);
        Assert.True(gate.PermitsGranted > 0, "the gate was let through without a leased permit");
    }

    private static EndpointSettings Settings(double requestsPerSecond, int burst) =>
        new(EndpointId, requestsPerSecond, burst, 0, TimeSpan.FromSeconds(10), false, TimeSpan.FromMinutes(1), LeaseTimeout);

    private EndpointGate CreateGate(EndpointSettings settings, bool connected, out IActorRef link)
    {
        var registry = Sys.ActorOf(LocalEndpointRegistry.Props(TimeProvider.System));
        link = Sys.ActorOf(Props.Create(() => new SwitchableLink(registry, connected)));
        return new EndpointGate(settings, link, Sys, TimeProvider.System);
    }

    /// <summary>Forwards endpoint messages to the entities while connected, and drops them while disconnected.</summary>
    private sealed class SwitchableLink : ReceiveActor
    {
        public SwitchableLink(IActorRef entities, bool connected)
        {
            Receive<Connect>(_ => connected = true);
            Receive<IEndpointMessage>(message =>
            {
                if (connected)
                {
                    entities.Forward(message);
                }
            });
        }

        public sealed class Connect
        {
            public static readonly Connect Instance = new();
        }
    }
}
