using Akka.Actor;
using Connector.Actors.Auth;
using Connector.Actors.Http;

namespace Connector.Actors.Cluster;

/// <summary>Creates a table's gate and token provider, through the endpoint entity when an actor system is given.</summary>
internal static class EndpointServices
{
    /// <summary>Returns a factory for the table's gate, or null when requests need none; the gate is created at first use.</summary>
    public static Lazy<EndpointGate>? Gate(EndpointSettings endpoint, ActorSystem? system)
    {
        var needed = system is not null
            ? endpoint.NeedsGate
            : endpoint.RequestsPerSecond is not null || endpoint.FailureThreshold > 0;
        if (!needed)
        {
            return null;
        }

        return new Lazy<EndpointGate>(() => (system is null ? EndpointCoordinator.Private : EndpointCoordinator.Get(system)).GetGate(endpoint));
    }

    /// <summary>Returns the table's OIDC token provider, or null without OIDC.</summary>
    public static IAuthorizationProvider? Authorization(
        OidcSettings? oidc, EndpointSettings endpoint, HttpClient client, TimeSpan timeout, TimeProvider time, ActorSystem? system)
    {
        if (oidc is null)
        {
            return null;
        }

        var local = new OidcTokenProvider(oidc, client, timeout, time);
        return system is null
            ? local
            : new EndpointTokenProvider(endpoint.EndpointId, oidc, EndpointCoordinator.Get(system).Entities, local, time, timeout);
    }
}
