using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;

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

    /// <summary>
    /// Returns the node-local gate of an endpoint, creating it on first use; tables to one endpoint share it. The gate
    /// keeps the endpoint options of the table that created it, so a later table with other values is logged as a
    /// warning that names the options. The node rejects such tables before they run.
    /// </summary>
    internal EndpointGate GetGate(EndpointSettings settings)
    {
        var gate = _gates.GetOrAdd(settings.EndpointId, _ => new EndpointGate(settings, Entities, _system, TimeProvider.System));
        var differences = gate.Settings.DifferencesFrom(settings);
        if (differences.Count > 0)
        {
            _system.Log.Warning(
                "Endpoint {0}: a table sets {1}, but the endpoint's gate keeps the values of the first table to reach it; " +
                "give tables with other values their own http.endpoint.name",
                settings.EndpointId,
                string.Join(", ", differences.Select(d => $"{d.Option} = {d.OtherValue} (in force: {d.Value})")));
        }

        return gate;
    }

    private sealed class EndpointMessageExtractor() : HashCodeMessageExtractor(64)
    {
        public override string EntityId(object message) => (message as EndpointProtocol.IEndpointMessage)?.EndpointId!;
    }
}
