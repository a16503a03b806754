using System.Diagnostics;
using Akka.Streams;

namespace Connector.Node.Pipelines;

/// <summary>One running pipeline: its counters, its kill switch and the task that completes when its sink has settled.</summary>
internal sealed class PipelineRun(PipelinePlan plan)
{
    private long _rowsIn;
    private long _rowsOut;
    private long _lastRequests;
    private TimeSpan _lastReport;

    public PipelinePlan Plan { get; } = plan;

    public Stopwatch Elapsed { get; } = Stopwatch.StartNew();

    /// <summary>The switch after the source, which a stop shuts down so that the rows already taken drain.</summary>
    public UniqueKillSwitch? DrainSwitch { get; set; }

    /// <summary>The switch before the sink, which fails the stream when the drain takes too long.</summary>
    public UniqueKillSwitch? AbortSwitch { get; set; }

    public Task<string>? Completion { get; set; }

    /// <summary>The message of a drain that timed out or was stopped by a second signal, or null.</summary>
    public string? DrainFailure { get; set; }

    public long RowsIn => Interlocked.Read(ref _rowsIn);

    public long RowsOut => Interlocked.Read(ref _rowsOut);

    public long Requests => Plan.Lookups.Sum(l => l.Metrics.Requests) + Plan.Sink.Requests;

    public long Retries => Plan.Lookups.Sum(l => l.Metrics.Retries) + Plan.Sink.Retries;

    public long Failures => Plan.Lookups.Sum(l => l.Metrics.Failures) + Plan.Sink.Failures;

    /// <summary>Elements taken in by the pipeline's lookups and not yet emitted or dropped.</summary>
    public long BufferedInLookups => Plan.Lookups.Sum(l => l.BufferedElements);

    public long CacheHits => Plan.Lookups.Sum(l => l.Metrics.CacheHits);

    public long CacheLookups => CacheHits + Plan.Lookups.Sum(l => l.Metrics.CacheMisses);

    public void AddRowIn() => Interlocked.Increment(ref _rowsIn);

    public void AddRowOut() => Interlocked.Increment(ref _rowsOut);

    /// <summary>Returns requests per second since the previous call.</summary>
    public double RequestRate()
    {
        var now = Elapsed.Elapsed;
        var requests = Requests;
        var seconds = (now - _lastReport).TotalSeconds;
        var rate = seconds > 0 ? (requests - _lastRequests) / seconds : 0;
        _lastReport = now;
        _lastRequests = requests;
        return rate;
    }
}
