using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Connector.Actors.Cluster;

/// <summary>
/// Hosts the endpoint entities of an actor system: sharded across the cluster when the system uses the cluster
/// provider, or as local child actors otherwise. It also keeps each endpoint's node-local gate.
/// </summary>
public sealed class EndpointCoordinator : IExtension
{
    /// <summary>The sharding type name of endpoint entities; every node that sends requests starts this region.</summary>
    public const string TypeName = "httpactors-endpoint";

    private static readonly Lazy<ActorSystem> PrivateSystem = new(() => ActorSystem.Create(
        "httpactors-local",
        Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING")));

    private readonly ActorSystem _system;
    private readonly ConcurrentDictionary<string, EndpointGate> _gates = new(StringComparer.Ordinal);

    internal EndpointCoordinator(ExtendedActorSystem system)
    {
        _system = system;
        IsSharded = system.Provider.GetType().FullName?.Contains("Cluster", StringComparison.Ordinal) == true;
        Entities = IsSharded
            ? ClusterSharding.Get(system).Start(
                TypeName,
                entityId => EndpointEntity.Props(entityId, TimeProvider.System),
                ClusterShardingSettings.Create(system),
                new EndpointMessageExtractor())
            : system.ActorOf(LocalEndpointRegistry.Props(TimeProvider.System), "httpactors-endpoints");
    }

    /// <summary>True when the entities are sharded across a cluster.</summary>
    public bool IsSharded { get; }

    /// <summary>The shard region, or the local registry, that endpoint messages are sent to.</summary>
    public IActorRef Entities { get; }

    /// <summary>Returns the coordinator of an actor system, starting it on first use.</summary>
    public static EndpointCoordinator Get(ActorSystem system) => system.WithExtension<EndpointCoordinator, EndpointCoordinatorProvider>();

    /// <summary>Returns the coordinator of a private local actor system, for connectors used without one.</summary>
    internal static EndpointCoordinator Private => Get(PrivateSystem.Value);

    /// <summary>Returns the node-local gate of an endpoint, creating it on first use; tables to one endpoint share it.</summary>
    /// <remarks>NOTE: the gate keeps the endpoint options of the table that created it; later tables' options are ignored.</remarks>
    internal EndpointGate GetGate(EndpointSettings settings) =>
        _gates.GetOrAdd(settings.EndpointId, _ => new EndpointGate(settings, Entities, _system, TimeProvider.System));

    private sealed class EndpointMessageExtractor() : HashCodeMessageExtractor(64)
    {
        public override string EntityId(object message) => (message as EndpointProtocol.IEndpointMessage)?.EndpointId!;
    }
}
