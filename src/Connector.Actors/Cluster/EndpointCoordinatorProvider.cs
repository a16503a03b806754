using Akka.Actor;

namespace Connector.Actors.Cluster;

/// <summary>Creates the <see cref="EndpointCoordinator"/> extension of an actor system.</summary>
public sealed class EndpointCoordinatorProvider : ExtensionIdProvider<EndpointCoordinator>
{
    /// <inheritdoc />
    public override EndpointCoordinator CreateExtension(ExtendedActorSystem system) => new(system);
}
