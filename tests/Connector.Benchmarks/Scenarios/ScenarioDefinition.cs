namespace Connector.Benchmarks.Scenarios;

/// <summary>
/// A connector scenario and the baseline it is measured against, at the same concurrency and over the same
/// elements, in the same run.
/// </summary>
/// <param name="Name">A short identifier, used in the table and the JSON report.</param>
/// <param name="Concurrency">Requests in flight at most, on both sides.</param>
/// <param name="Elements">Elements per measured iteration.</param>
/// <param name="CreateConnector">Creates the connector side; it is disposed after the scenario.</param>
/// <param name="CreateBaseline">Creates the baseline side; it is disposed after the scenario.</param>
/// <param name="Targets">Targets that the report checks the figures against. No target changes the exit code.</param>
internal sealed record ScenarioDefinition(
    string Name,
    int Concurrency,
    int Elements,
    Func<BenchmarkContext, Task<IBenchmarkSide>> CreateConnector,
    Func<BenchmarkContext, Task<IBenchmarkSide>> CreateBaseline,
    IReadOnlyList<BenchmarkTarget> Targets);

/// <summary>A target that a scenario's figures meet or miss.</summary>
/// <param name="Description">The target as the report shows it, such as "elements/s ratio >= 0.9".</param>
/// <param name="IsMet">Returns true when the figures meet the target.</param>
internal sealed record BenchmarkTarget(string Description, Func<ScenarioResult, bool> IsMet)
{
    /// <summary>The connector reaches at least this fraction of the baseline's elements per second.</summary>
    public static BenchmarkTarget ThroughputRatio(double minimum) =>
        new($"elements/s ratio >= {minimum:0.##}", result => result.ThroughputRatio >= minimum);

    /// <summary>The connector processes at least this many elements per second.</summary>
    public static BenchmarkTarget MinimumThroughput(double elementsPerSecond) =>
        new($"connector >= {elementsPerSecond:#,0} elements/s", result => result.Connector.ElementsPerSecond >= elementsPerSecond);

    /// <summary>The connector allocates less than this many bytes per element.</summary>
    public static BenchmarkTarget MaximumAllocation(double bytesPerElement) =>
        new($"connector < {bytesPerElement:0} B/element", result => result.Connector.AllocatedBytesPerElement < bytesPerElement);
}
