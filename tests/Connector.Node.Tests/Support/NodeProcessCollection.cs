namespace Connector.Node.Tests.Support;

/// <summary>Runs node-process tests one at a time, because each starts a whole node and the demo uses a fixed port.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NodeProcessCollection
{
    public const string Name = "node processes";
}
