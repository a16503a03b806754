using Connector.Node.Tests.Support;

namespace Connector.Node.Tests;

[Collection(NodeProcessCollection.Name)]
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_Runs_EnrichedRowsReachSink()
    {
        var root = RepositoryPaths.Root;

        var (exitCode, node) = await NodeProcess.RunAsync(root, TimeSpan.FromSeconds(60), "run", Path.Combine("hocon", "demo.conf"));
        using (node)
        {
            Assert.True(exitCode == 0, node.Error);
            Assert.Contains("Pipeline enrich-orders completed", node.Error);
            Assert.Contains("rows in 120, rows out 120", node.Error);
            Assert.Contains("received 120, delivered 120", node.Error);
            Assert.Contains("Demo orders endpoint received", node.Error);
            Assert.Contains("\"msg\":\"customer 1\"", node.Error);
        }
    }

    [Theory]
    [InlineData("node1.conf")]
    [InlineData("node2.conf")]
    [InlineData("node3.conf")]
    public async Task ComposeNodeConfigs_Validate(string nodeFile)
    {
        var root = RepositoryPaths.Root;
        var cluster = Path.Combine("hocon", "cluster");

        var (exitCode, node) = await NodeProcess.RunAsync(
            root, TimeSpan.FromSeconds(60), "validate", Path.Combine(cluster, "node.conf"), Path.Combine(cluster, nodeFile), Path.Combine(cluster, "pipelines.conf"));
        using (node)
        {
            Assert.True(exitCode == 0, node.Error);
            Assert.Contains("Configuration is valid: 1 pipeline(s).", node.Output);
        }
    }
}
