using Akka.Actor;
using Connector.Actors.Auth;
using Connector.Actors.Http;

namespace Connector.Actors.Cluster;

/// <summary>Creates a table's gate and token provider, through the endpoint entity when an actor system is given.</summary>
internal static class EndpointServices
{
    /// <summary>
    /// Returns a factory for the table's gate, or null when requests need none. With an actor system the gate is
    /// created at first use. Without one, it is created now, with the private actor system on the first such table.
    /// </summary>
    public static Lazy<EndpointGate>? Gate(EndpointSettings endpoint, ActorSystem? system)
    {
        var needed = system is not null
            ? endpoint.NeedsGate
            : endpoint.RequestsPerSecond is not null || endpoint.FailureThreshold > 0;
        if (!needed)
        {
            return null;
        }

        if (system is null)
        {
            // Creating the private system on the first request would block the thread-pool threads of every request
            // that waits for it, while the system's logger needs a pool thread to start. On 2 cores the first requests
            // of a join with 8 lookups in flight then waited 5 s for Akka's logger start-up timeout.
            return new Lazy<EndpointGate>(EndpointCoordinator.Private.GetGate(endpoint));
        }

        return new Lazy<EndpointGate>(() => EndpointCoordinator.Get(system).GetGate(endpoint));
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
