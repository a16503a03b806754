using Akka.Actor;

namespace Connector.Actors.Cluster;

/// <summary>
/// Runs endpoint entities as local children when the actor system has no cluster, routing each message to the child
/// of its endpoint. A child stops after two minutes without messages, as a sharded entity passivates.
/// </summary>
internal sealed class LocalEndpointRegistry : ReceiveActor
{
    public LocalEndpointRegistry(TimeProvider time)
    {
        Receive<EndpointProtocol.IEndpointMessage>(message =>
        {
            var name = Uri.EscapeDataString(message.EndpointId);
            var child = Context.Child(name);
            if (child.IsNobody())
            {
                child = Context.ActorOf(Akka.Actor.Props.Create(() => new PassivatingEntity(message.EndpointId, time)), name);
            }

            child.Forward(message);
        });
    }

    public static Props Props(TimeProvider time) => Akka.Actor.Props.Create(() => new LocalEndpointRegistry(time));

    private sealed class PassivatingEntity : ReceiveActor
    {
        public PassivatingEntity(string endpointId, TimeProvider time)
        {
            var entity = Context.ActorOf(EndpointEntity.Props(endpointId, time), "entity");
            Context.SetReceiveTimeout(TimeSpan.FromMinutes(2));
            Receive<ReceiveTimeout>(_ => Context.Stop(Self));
            ReceiveAny(message => entity.Forward(message));
        }
    }
}
