using System.Diagnostics;

namespace Connector.Benchmarks;

/// <summary>
/// Latencies of one iteration in <see cref="Stopwatch"/> ticks, stored in preallocated arrays so that recording
/// allocates nothing. <see cref="Start"/> and <see cref="Stop(int)"/> pair up by element index.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly long[] _starts;
    private readonly long[] _latencies;
    private int _count;

    public LatencyRecorder(int capacity)
    {
        _starts = new long[capacity];
        _latencies = new long[capacity];
    }

    /// <summary>Latencies recorded since the last <see cref="Reset"/>.</summary>
    public int Count => Math.Min(Volatile.Read(ref _count), _latencies.Length);

    /// <summary>Forgets every recorded latency.</summary>
    public void Reset() => Volatile.Write(ref _count, 0);

    /// <summary>Stamps the start of the element with the given index.</summary>
    public void Start(int index) => _starts[index] = Stopwatch.GetTimestamp();

    /// <summary>Records the time since the start of the element with the given index.</summary>
    public void Stop(int index) => Stop(index, Stopwatch.GetTimestamp());

    /// <summary>Records the time from the start of the element with the given index to a timestamp.</summary>
    public void Stop(int index, long timestamp) => Record(timestamp - _starts[index]);

    /// <summary>Records one latency in <see cref="Stopwatch"/> ticks. Latencies past the capacity are dropped.</summary>
    public void Record(long ticks)
    {
        var slot = Interlocked.Increment(ref _count) - 1;
        if (slot < _latencies.Length)
        {
            _latencies[slot] = ticks;
        }
    }

    /// <summary>Returns the median and 99th percentile in milliseconds, or null when nothing was recorded.</summary>
    public LatencySummary? Summarize()
    {
        var count = Count;
        if (count == 0)
        {
            return null;
        }

        var sorted = _latencies.AsSpan(0, count).ToArray();
        Array.Sort(sorted);
        return new LatencySummary(ToMilliseconds(Percentile(sorted, 0.50)), ToMilliseconds(Percentile(sorted, 0.99)), count);
    }

    private static long Percentile(long[] sorted, double fraction)
    {
        // Nearest-rank percentile: the smallest value with at least this fraction of the values at or below it.
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Latency percentiles of one iteration.</summary>
/// <param name="P50Milliseconds">The median.</param>
/// <param name="P99Milliseconds">The 99th percentile.</param>
/// <param name="Samples">Latencies the percentiles were taken over.</param>
internal sealed record LatencySummary(double P50Milliseconds, double P99Milliseconds, int Samples);
