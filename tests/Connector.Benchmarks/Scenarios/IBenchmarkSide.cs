namespace Connector.Benchmarks.Scenarios;

/// <summary>One side of a benchmark pair: the connector, or the baseline it is compared with.</summary>
internal interface IBenchmarkSide : IAsyncDisposable
{
    /// <summary>What this side runs, for the report.</summary>
    string Description { get; }

    /// <summary>
    /// Processes <paramref name="elements"/> elements once. The runner measures time, allocations and server requests
    /// around the call, so a side does its setup before it and checks its output inside it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The side processed a different number of elements than requested.</exception>
    Task<SideRun> RunAsync(int elements, CancellationToken cancellationToken);
}

/// <summary>
/// A side whose measured iterations record no latency because stamping each element would change the figures,
/// so latency comes from one extra untimed pass with stamps.
/// </summary>
internal interface ISeparateLatencyPass
{
    /// <summary>Runs one stamped pass over <paramref name="elements"/> elements and returns its latencies.</summary>
    Task<LatencySummary?> MeasureLatencyAsync(int elements, CancellationToken cancellationToken);
}

/// <summary>The outcome of one iteration of one side.</summary>
/// <param name="Elements">Elements processed.</param>
/// <param name="Latencies">
/// The iteration's latencies, which the runner summarizes after the measurement stops. Null when the side records none
/// in its iterations.
/// </param>
internal sealed record SideRun(long Elements, LatencyRecorder? Latencies);
