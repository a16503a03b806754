using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Connector.Actors.Cluster;
using static Connector.Actors.Cluster.EndpointProtocol;

namespace Connector.Actors.Tests.Cluster;

/// <summary>
/// Tests of the rate limit when the endpoint entity starts again elsewhere, as sharding does after the entity's node is
/// lost. The gate reaches the entities through a link that the test points at a second registry, whose new entity has
/// received no Subscribe from the gate.
/// </summary>
public sealed class EndpointEntityMoveTests : TestKit
{
    private const string EndpointId = "http://127.0.0.1:9";
    private const double RequestsPerSecond = 10;
    private const int Burst = 2;

    public EndpointEntityMoveTests()
        : base("akka.loglevel = WARNING")
    {
    }

    [Fact]
    public async Task EnterAsync_EntityMoved_KeepsRateLimit()
    {
        var settings = new EndpointSettings(
            EndpointId, RequestsPerSecond, Burst, 0, TimeSpan.FromSeconds(10), false, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var link = Sys.ActorOf(Props.Create(() => new MovableLink(Sys.ActorOf(LocalEndpointRegistry.Props(TimeProvider.System)))));
        var gate = new EndpointGate(settings, link, Sys, TimeProvider.System);
        await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // The gate's next Subscribe is its heartbeat, 5 s after it started, so the new entity learns the limit within
        // this window only from the permit requests.
        link.Tell(new MovableLink.MoveTo(Sys.ActorOf(LocalEndpointRegistry.Props(TimeProvider.System))));
        var clock = Stopwatch.StartNew();
        using var window = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var entered = 0;
        try
        {
            while (true)
            {
                await gate.EnterAsync(window.Token);
                entered++;
            }
        }
        catch (OperationCanceledException)
        {
            // The window ended while the gate waited for a permit.
        }

        var elapsed = clock.Elapsed;

        // The first entity's block of permits, the new bucket's burst and the refill at the limit, plus one for rounding.
        var allowed = Burst + Burst + (int)Math.Ceiling(RequestsPerSecond * elapsed.TotalSeconds) + 1;
        Assert.True(entered <= allowed, $"{entered} requests entered in {elapsed.TotalSeconds:0.00} s after the entity moved; the limit allows {allowed}");
        Assert.True(entered > Burst + Burst, $"only {entered} requests entered in {elapsed.TotalSeconds:0.00} s after the entity moved");
    }

    /// <summary>Forwards endpoint messages to one registry of entities until a <see cref="MoveTo"/> message names another.</summary>
    private sealed class MovableLink : ReceiveActor
    {
        public MovableLink(IActorRef entities)
        {
            Receive<MoveTo>(move => entities = move.Entities);
            Receive<IEndpointMessage>(message => entities.Forward(message));
        }

        public sealed record MoveTo(IActorRef Entities);
    }
}
