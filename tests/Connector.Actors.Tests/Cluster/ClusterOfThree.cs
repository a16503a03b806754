using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace Connector.Actors.Tests.Cluster;

/// <summary>Three actor systems on loopback joined into one Akka cluster, for tests of the sharded endpoint entity.</summary>
public sealed class ClusterOfThree : IAsyncDisposable
{
    /// <summary>The configuration of each node: the cluster provider, remoting on 127.0.0.1 and short failure timeouts.</summary>
    internal const string Hocon = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          cluster {
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver { active-strategy = keep-majority, stable-after = 3s }
            failure-detector.acceptable-heartbeat-pause = 3s
            sharding.rebalance-interval = 1s
          }
        }
        """;

    private ClusterOfThree(ActorSystem[] nodes)
    {
        Nodes = nodes;
    }

    public IReadOnlyList<ActorSystem> Nodes { get; }

    public static async Task<ClusterOfThree> StartAsync(string name = "cluster-test", string extraHocon = "")
    {
        var config = ConfigurationFactory.ParseString(extraHocon).WithFallback(ConfigurationFactory.ParseString(Hocon));
        var nodes = Enumerable.Range(0, 3).Select(_ => ActorSystem.Create(name, config)).ToArray();
        var seed = Akka.Cluster.Cluster.Get(nodes[0]).SelfAddress;
        var up = nodes.Select(node =>
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Akka.Cluster.Cluster.Get(node).RegisterOnMemberUp(() => ready.TrySetResult());
            Akka.Cluster.Cluster.Get(node).Join(seed);
            return ready.Task;
        }).ToArray();
        await Task.WhenAll(up).WaitAsync(TimeSpan.FromSeconds(30));

        // Wait until every node counts three Up members, so shard allocation considers all of them.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (nodes.Any(n => Akka.Cluster.Cluster.Get(n).State.Members.Count(m => m.Status == MemberStatus.Up) < 3))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The three test nodes did not all see each other as Up within 30 s.");
            }

            await Task.Delay(100);
        }

        // Every node starts the endpoint shard region, as every node process does.
        foreach (var node in nodes)
        {
            Connector.Actors.Cluster.EndpointCoordinator.Get(node);
        }

        return new ClusterOfThree(nodes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Reverse())
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
