namespace Connector.Benchmarks;

/// <summary>How many iterations a run makes and how large they are.</summary>
/// <param name="Smoke">True for the smoke run: tiny counts, one iteration, only to check that the harness works.</param>
/// <param name="MinWarmupIterations">Unmeasured iterations of each side before the measured ones, at least.</param>
/// <param name="MaxWarmupIterations">
/// Unmeasured iterations of each side at most. Between the two bounds, warming up goes on until the sides have run
/// for at least <see cref="MinWarmupTime"/>, because the just-in-time compiler recompiles hot methods with profile data for several
/// seconds after they first run.
/// </param>
/// <param name="Iterations">Measured iterations of each side; the report shows their median.</param>
/// <param name="IterationTimeout">How long one iteration may take before the run fails.</param>
internal sealed record BenchmarkProfile(
    bool Smoke, int MinWarmupIterations, int MaxWarmupIterations, int Iterations, TimeSpan IterationTimeout)
{
    /// <summary>
    /// The minimum time that the warm-up iterations of both sides run, not counting the collections between them. On
    /// 2 busy cores the just-in-time compiler took 5 to 8 seconds to recompile the sink's hot methods with profile
    /// data, and until then the connector ran at half its speed.
    /// </summary>
    public static readonly TimeSpan MinWarmupTime = TimeSpan.FromSeconds(15);

    /// <summary>The full run: 3 to 60 warm-up iterations and <paramref name="iterations"/> measured iterations per side.</summary>
    public static BenchmarkProfile Full(int iterations) => new(false, 3, 60, iterations, TimeSpan.FromSeconds(60));

    /// <summary>The smoke run: no warm-up and one iteration with tiny counts per side.</summary>
    public static BenchmarkProfile SmokeRun { get; } = new(true, 0, 0, 1, TimeSpan.FromSeconds(20));

    /// <summary>Returns the element count for this profile: <paramref name="full"/>, or <paramref name="smoke"/> in a smoke run.</summary>
    public int Elements(int full, int smoke) => Smoke ? smoke : full;
}
