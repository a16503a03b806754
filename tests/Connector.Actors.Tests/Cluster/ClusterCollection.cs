namespace Connector.Actors.Tests.Cluster;

/// <summary>Runs cluster tests one at a time, because each starts three actor systems and some measure rates.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "clusters";
}
