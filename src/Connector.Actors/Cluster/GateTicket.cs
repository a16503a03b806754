namespace Connector.Actors.Cluster;

/// <summary>Permission to send one attempt; a probe ticket is the one request let through while the circuit is half-open.</summary>
internal readonly record struct GateTicket(bool IsProbe);
