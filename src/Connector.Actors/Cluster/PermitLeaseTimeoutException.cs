using System.Globalization;
using Connector.Actors.Options;

namespace Connector.Actors.Cluster;

/// <summary>
/// Thrown to a request that needs a rate permit while the endpoint entity has not replied to the node's permit requests
/// for longer than <c>http.rate-limit.lease-timeout</c>. Lookups and sinks report it as the request's failure.
/// </summary>
public sealed class PermitLeaseTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a message that names the endpoint, the time without a reply and what to check.</summary>
    public PermitLeaseTimeoutException(string endpointId, TimeSpan unanswered, TimeSpan leaseTimeout)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"Endpoint '{endpointId}': the endpoint entity did not reply to permit requests for {unanswered.TotalSeconds:0.#} s " +
            $"({CommonOptions.RateLimitLeaseTimeout} is {leaseTimeout.TotalSeconds:0.###} s), so no rate permit is available. " +
            $"Check that this node is an Up member of the cluster and runs the '{EndpointCoordinator.TypeName}' shard region, " +
            $"or remove {CommonOptions.RateLimitRequestsPerSecond} from the table."))
    {
        EndpointId = endpointId;
        Unanswered = unanswered;
    }

    /// <summary>The endpoint identity.</summary>
    public string EndpointId { get; }

    /// <summary>How long the node's permit requests had gone without a reply when the exception was created.</summary>
    public TimeSpan Unanswered { get; }
}
