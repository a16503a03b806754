namespace Connector.Benchmarks;

/// <summary>How many iterations a run makes and how large they are.</summary>
/// <param name="Smoke">True for the smoke run: tiny counts, one iteration, only to check that the harness works.</param>
/// <param name="WarmupIterations">Unmeasured iterations of each side before the measured ones.</param>
/// <param name="Iterations">Measured iterations of each side; the report shows their median.</param>
/// <param name="IterationTimeout">How long one iteration may take before the run fails.</param>
internal sealed record BenchmarkProfile(bool Smoke, int WarmupIterations, int Iterations, TimeSpan IterationTimeout)
{
    /// <summary>The full run: one warm-up and <paramref name="iterations"/> measured iterations per side.</summary>
    public static BenchmarkProfile Full(int iterations) => new(false, 1, iterations, TimeSpan.FromSeconds(60));

    /// <summary>The smoke run: no warm-up and one iteration with tiny counts per side.</summary>
    public static BenchmarkProfile SmokeRun { get; } = new(true, 0, 1, TimeSpan.FromSeconds(20));

    /// <summary>Returns the element count for this profile: <paramref name="full"/>, or <paramref name="smoke"/> in a smoke run.</summary>
    public int Elements(int full, int smoke) => Smoke ? smoke : full;
}
