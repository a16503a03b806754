using Connector.Actors.Sink;

namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// The scenarios of a run, in the order they run. A new scenario is one more <see cref="ScenarioDefinition"/> in
/// <see cref="Create"/>: a connector side, its baseline at the same concurrency, and the targets it is checked against.
/// </summary>
internal static class ScenarioCatalog
{
    /// <summary>Keys of the cached lookup scenario; every element after the warm-up hits the cache.</summary>
    private const int CachedKeys = 16;

    /// <summary>Rows per request in the batch sink scenario.</summary>
    private const int BatchRows = 500;

    /// <summary>Requests in flight in the sink scenarios.</summary>
    private const int SinkInflight = 32;

    /// <summary>Returns the scenarios of a run, with the parts of the GET lookup path when <paramref name="breakdown"/> is true.</summary>
    public static IReadOnlyList<ScenarioDefinition> Create(BenchmarkProfile profile, bool breakdown = false)
    {
        var scenarios = new List<ScenarioDefinition>();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            foreach (var parallelism in new[] { 1, 8, 32 })
            {
                if (method == HttpMethod.Post && parallelism == 1)
                {
                    continue;
                }

                var elements = profile.Elements(parallelism == 1 ? 3_000 : 15_000, smoke: 100);
                scenarios.Add(new ScenarioDefinition(
                    $"lookup-{method.Method.ToLowerInvariant()}-p{parallelism}",
                    parallelism,
                    elements,
                    Ready(context => LookupJoinSide.Create(context, method, parallelism, elements)),
                    Ready(context => new PlainLookupSide(context, method, parallelism, elements)),
                    parallelism == 1 ? [] : [BenchmarkTarget.ThroughputRatio(0.9)]));
            }
        }

        // A rate limit far above the achievable rate, against the same join without one: the cost of leasing permits.
        var rateLimitedElements = profile.Elements(15_000, smoke: 100);
        scenarios.Add(new ScenarioDefinition(
            "lookup-get-p8-rate-limit-not-binding",
            8,
            rateLimitedElements,
            Ready(context => LookupJoinSide.Create(context, HttpMethod.Get, 8, rateLimitedElements, rateLimit: 10_000_000)),
            Ready(context => LookupJoinSide.Create(context, HttpMethod.Get, 8, rateLimitedElements)),
            [BenchmarkTarget.ThroughputRatio(0.95)]));

        if (breakdown)
        {
            AddBreakdown(scenarios, profile);
        }

        scenarios.Add(new ScenarioDefinition(
            "lookup-cached-p8",
            8,
            profile.Elements(1_000_000, smoke: 10_000),
            async context => await CachedLookupSide.CreateAsync(context, parallelism: 8, CachedKeys),
            Ready(context => new DictionaryJoinSide(context, CachedKeys)),
            [BenchmarkTarget.MinimumThroughput(1_000_000), BenchmarkTarget.MaximumAllocation(200)]));

        // The loop encodes each request's rows before it posts them, as any client that starts from rows must, and the
        // target is checked against it. The pre-encoded scenario shows how fast the endpoint takes the same bodies when
        // no side encodes them. No client that starts from rows can reach that, so it has no target.
        var batchElements = profile.Elements(1_000_000, smoke: 1_000);
        scenarios.Add(new ScenarioDefinition(
            $"sink-batch{BatchRows}-i{SinkInflight}",
            SinkInflight,
            batchElements,
            Ready(context => new HttpSinkSide(context, SinkRequestMode.Batch, SinkInflight, BatchRows, batchElements)),
            Ready(context => new PlainPostSide(context, SinkInflight, BatchRows, batchElements, encodeRows: true)),
            [BenchmarkTarget.ThroughputRatio(0.9)]));
        scenarios.Add(new ScenarioDefinition(
            $"sink-batch{BatchRows}-i{SinkInflight}-pre-encoded",
            SinkInflight,
            batchElements,
            Ready(context => new HttpSinkSide(context, SinkRequestMode.Batch, SinkInflight, BatchRows, batchElements)),
            Ready(context => new PlainPostSide(context, SinkInflight, BatchRows, batchElements)),
            []));

        var singleElements = profile.Elements(15_000, smoke: 100);
        scenarios.Add(new ScenarioDefinition(
            $"sink-single-i{SinkInflight}",
            SinkInflight,
            singleElements,
            Ready(context => new HttpSinkSide(context, SinkRequestMode.Single, SinkInflight, BatchRows, singleElements)),
            Ready(context => new PlainPostSide(context, SinkInflight, 1, singleElements)),
            [BenchmarkTarget.ThroughputRatio(0.9)]));

        return scenarios;
    }

    /// <summary>Adds the GET lookup path in parts at parallelism 8 and 32, each against the plain loop and with no target.</summary>
    private static void AddBreakdown(List<ScenarioDefinition> scenarios, BenchmarkProfile profile)
    {
        foreach (var parallelism in new[] { 8, 32 })
        {
            var elements = profile.Elements(15_000, smoke: 100);
            var baseline = Ready(context => new PlainLookupSide(context, HttpMethod.Get, parallelism, elements));
            scenarios.Add(new ScenarioDefinition(
                $"breakdown-sender-p{parallelism}", parallelism, elements, Ready(context => new SenderLoopSide(context, parallelism, elements)), baseline, []));
            scenarios.Add(new ScenarioDefinition(
                $"breakdown-service-p{parallelism}", parallelism, elements, Ready(context => new ServiceLoopSide(context, parallelism, elements)), baseline, []));
            scenarios.Add(new ScenarioDefinition(
                $"breakdown-stream-p{parallelism}", parallelism, elements, Ready(context => new StreamOnlySide(context, parallelism, elements)), baseline, []));
        }
    }

    private static Func<BenchmarkContext, Task<IBenchmarkSide>> Ready(Func<BenchmarkContext, IBenchmarkSide> create) =>
        context => Task.FromResult(create(context));
}
