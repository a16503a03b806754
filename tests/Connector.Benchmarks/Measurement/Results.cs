namespace Connector.Benchmarks;

/// <summary>The figures of one measured iteration of one side.</summary>
/// <param name="Elements">Elements processed.</param>
/// <param name="Requests">Requests the server served during the iteration.</param>
/// <param name="Connections">Connections the server accepted during the iteration.</param>
/// <param name="Elapsed">Wall-clock time of the iteration.</param>
/// <param name="AllocatedBytes">Bytes allocated by every thread of the process, Kestrel's included.</param>
/// <param name="CpuTime">Processor time of the whole process, Kestrel's included, summed over all cores.</param>
/// <param name="ContextSwitches">Context switches of the whole process, or null where they cannot be read.</param>
/// <param name="Latency">Latency percentiles, or null when the iteration recorded none.</param>
internal sealed record IterationSample(
    long Elements,
    long Requests,
    long Connections,
    TimeSpan Elapsed,
    long AllocatedBytes,
    TimeSpan CpuTime,
    long? ContextSwitches,
    LatencySummary? Latency)
{
    public double ElementsPerSecond => Elements / Elapsed.TotalSeconds;

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double AllocatedBytesPerElement => (double)AllocatedBytes / Elements;

    public double CpuMicrosecondsPerElement => CpuTime.TotalMicroseconds / Elements;

    public double? ContextSwitchesPerElement => ContextSwitches is { } switches ? (double)switches / Elements : null;
}

/// <summary>The medians over the measured iterations of one side.</summary>
internal sealed record SideSummary(
    string Description,
    double ElementsPerSecond,
    double MinElementsPerSecond,
    double MaxElementsPerSecond,
    double RequestsPerSecond,
    double? P50Milliseconds,
    double? P99Milliseconds,
    double AllocatedBytesPerElement,
    double CpuMicrosecondsPerElement,
    double? ContextSwitchesPerElement,
    long ConnectionsOpened,
    IReadOnlyList<IterationSample> Iterations)
{
    /// <summary>Summarizes iterations by their medians. A <paramref name="separateLatency"/> replaces their latencies.</summary>
    public static SideSummary Create(string description, IReadOnlyList<IterationSample> samples, long connectionsOpened, LatencySummary? separateLatency)
    {
        var latencies = samples.Select(s => s.Latency).OfType<LatencySummary>().ToList();
        double? p50 = separateLatency?.P50Milliseconds ?? (latencies.Count == 0 ? null : Median(latencies.Select(l => l.P50Milliseconds)));
        double? p99 = separateLatency?.P99Milliseconds ?? (latencies.Count == 0 ? null : Median(latencies.Select(l => l.P99Milliseconds)));
        var switches = samples.Select(s => s.ContextSwitchesPerElement).OfType<double>().ToList();
        return new SideSummary(
            description,
            Median(samples.Select(s => s.ElementsPerSecond)),
            samples.Min(s => s.ElementsPerSecond),
            samples.Max(s => s.ElementsPerSecond),
            Median(samples.Select(s => s.RequestsPerSecond)),
            p50,
            p99,
            Median(samples.Select(s => s.AllocatedBytesPerElement)),
            Median(samples.Select(s => s.CpuMicrosecondsPerElement)),
            switches.Count == samples.Count ? Median(switches) : null,
            connectionsOpened,
            samples);
    }

    /// <summary>Returns the median of the values.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>
/// A scenario's figures: both sides, how the connector compares, and the unmeasured iterations that each side ran first.
/// </summary>
internal sealed record ScenarioResult(
    string Name, int Concurrency, int Elements, int WarmupIterations, SideSummary Connector, SideSummary Baseline)
{
    /// <summary>
    /// The median, over the measured pairs, of the connector's elements per second divided by the baseline's. The two
    /// sides of a pair run back to back, so a pair's ratio is less affected by load that comes and goes than a ratio
    /// of medians taken over the whole scenario.
    /// </summary>
    public double ThroughputRatio => SideSummary.Median(
        Connector.Iterations.Zip(Baseline.Iterations, (connector, baseline) => connector.ElementsPerSecond / baseline.ElementsPerSecond));
}
