using System.Globalization;
using Akka.Streams;
using Akka.Streams.Dsl;
using Connector.Actors.Schema;
using Connector.Actors.Sink;
using Microsoft.Extensions.Logging;

namespace Connector.Node.Pipelines;

/// <summary>
/// Runs a node's pipelines, logs a progress line per pipeline at a fixed interval and a summary line when each ends,
/// and drains them on shutdown: sources stop, the elements that lookups have taken in are looked up and sink buffers
/// flush. A drain that outlasts the drain timeout fails the pipeline and counts what was not delivered.
/// </summary>
internal sealed partial class PipelineRunner
{
    private readonly ILogger _logger;
    private readonly TimeSpan _progressInterval;
    private readonly TimeSpan _drainTimeout;

    public PipelineRunner(ILogger logger, TimeSpan progressInterval, TimeSpan drainTimeout)
    {
        _logger = logger;
        _progressInterval = progressInterval;
        _drainTimeout = drainTimeout;
    }

    /// <summary>
    /// Runs every pipeline to its end, or until <paramref name="stop"/> fires and the drain ends, times out or is cut
    /// short by <paramref name="abort"/>. Returns true when all succeeded.
    /// </summary>
    public async Task<bool> RunAsync(NodePlan plan, IMaterializer materializer, CancellationToken stop, CancellationToken abort = default)
    {
        var runs = plan.Pipelines.Select(p => Start(p, materializer)).ToArray();
        using var progress = new PeriodicTimer(_progressInterval);
        var all = Task.WhenAll(runs.Select(r => r.Completion!.ContinueWith(_ => { }, TaskScheduler.Default)));
        var progressLoop = ReportProgressAsync(runs, progress, all);

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (stop.Register(() => stopped.TrySetResult()))
        {
            var first = await Task.WhenAny(all, stopped.Task).ConfigureAwait(false);
            if (first != all)
            {
                await DrainAsync(runs, all, abort).ConfigureAwait(false);
            }
        }

        progress.Dispose();
        await progressLoop.ConfigureAwait(false);
        var succeeded = true;
        foreach (var run in runs)
        {
            succeeded &= LogSummary(run);
        }

        return succeeded;
    }

    private PipelineRun Start(PipelinePlan plan, IMaterializer materializer)
    {
        var run = new PipelineRun(plan);
        var flow = plan.Source.CreateSource()
            .ViaMaterialized(KillSwitches.Single<Row>(), Keep.Right)
            .Select(row =>
            {
                run.AddRowIn();
                return row;
            });
        foreach (var lookup in plan.Lookups)
        {
            flow = flow.Via(lookup.Flow);
        }

        if (plan.Projection is { } projection)
        {
            flow = flow.Select(projection.Apply);
        }

        // A kill switch ignores every call after its first, so the drain and the abort that ends an overlong drain
        // need one each. The second sits before the sink, where failing the stream also cancels the lookups.
        var ((drainSwitch, abortSwitch), completion) = flow
            .Select(row =>
            {
                run.AddRowOut();
                return row;
            })
            .ViaMaterialized(KillSwitches.Single<Row>(), Keep.Both)
            .ToMaterialized(plan.Sink.CreateSink(), Keep.Both)
            .Run(materializer);
        run.DrainSwitch = drainSwitch;
        run.AbortSwitch = abortSwitch;
        run.Completion = completion;
        LogStarted(_logger, plan.Name, plan.Source.Name, string.Join(", ", plan.Lookups.Select(l => l.OutputType[^1].Name)), plan.Sink.Name, plan.Source.IsBounded ? "bounded" : "unbounded");
        return run;
    }

    private async Task ReportProgressAsync(PipelineRun[] runs, PeriodicTimer timer, Task all)
    {
        try
        {
            while (!all.IsCompleted && await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                foreach (var run in runs.Where(r => !r.Completion!.IsCompleted))
                {
                    LogProgress(
                        _logger,
                        run.Plan.Name,
                        run.RowsIn,
                        run.RowsOut,
                        run.RequestRate(),
                        FormatHitRatio(run),
                        run.Retries,
                        run.Failures);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The timer is disposed when the pipelines end.
        }
    }

    private async Task DrainAsync(PipelineRun[] runs, Task all, CancellationToken abort)
    {
        LogDraining(_logger, runs.Count(r => !r.Completion!.IsCompleted), _drainTimeout.TotalSeconds);
        foreach (var run in runs)
        {
            run.DrainSwitch!.Shutdown();
        }

        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (abort.Register(() => aborted.TrySetResult()))
        {
            var first = await Task.WhenAny(all, Task.Delay(_drainTimeout), aborted.Task).ConfigureAwait(false);
            if (first == all)
            {
                return;
            }
        }

        var reason = abort.IsCancellationRequested
            ? "was stopped by a second signal"
            : $"did not drain within {_drainTimeout.TotalSeconds:0.#} s";
        foreach (var run in runs.Where(r => !r.Completion!.IsCompleted))
        {
            var inLookups = run.BufferedInLookups;
            var inSink = run.Plan.Sink.PendingRows;
            var message = $"Pipeline '{run.Plan.Name}' {reason}; {inLookups} element(s) in lookups and {inSink} row(s) in the " +
                "sink were not delivered.";
            run.DrainFailure = message;
            run.AbortSwitch!.Abort(abort.IsCancellationRequested ? new OperationCanceledException(message) : new TimeoutException(message));

            // The sink settles its requests in flight before it fails, so they are cancelled rather than waited for.
            // Lookups and their retries are cancelled too, so that no request starts after the report below.
            run.Plan.Sink.CancelRequests();
            foreach (var lookup in run.Plan.Lookups)
            {
                lookup.CancelRequests();
            }

            LogDrainCutShort(_logger, run.Plan.Name, reason, inLookups, inSink);
        }

        // An aborted stream fails at once; the bound only guards against a sink that ignores the abort.
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    private bool LogSummary(PipelineRun run)
    {
        var seconds = run.Elapsed.Elapsed.TotalSeconds;
        var completion = run.Completion!;
        if (completion.IsCompletedSuccessfully && run.DrainFailure is null)
        {
            LogCompleted(_logger, run.Plan.Name, seconds, run.RowsIn, run.RowsOut, run.Requests, run.Retries, run.Failures, FormatHitRatio(run), completion.Result);
            return true;
        }

        // A cut-short drain fails the pipeline even when the stream completes, which it does when the sink drops or
        // dead-letters the rows of the requests that the abort cancelled. Its message then replaces the stream's
        // error, which can combine several exceptions: the abort's, and the sink's for its cancelled requests.
        var error = completion.IsCompleted
            ? completion.Exception?.GetBaseException() ?? new TaskCanceledException()
            : new TimeoutException("the pipeline did not stop after it was aborted.");
        var sinkFailure = error as SinkFailedException
            ?? completion.Exception?.Flatten().InnerExceptions.OfType<SinkFailedException>().FirstOrDefault();
        var sinkResult = completion.IsCompletedSuccessfully
            ? completion.Result
            : sinkFailure is { Result: { } result } ? result.ToString() : "not settled";
        LogFailed(_logger, run.Plan.Name, seconds, run.DrainFailure ?? error.Message, run.RowsIn, run.RowsOut, run.Requests, run.Retries, run.Failures, sinkResult);
        return false;
    }

    private static string FormatHitRatio(PipelineRun run) =>
        run.CacheLookups == 0 ? "n/a" : (run.CacheHits / (double)run.CacheLookups).ToString("P1", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline} started: {Source} -> lookups [{Lookups}] -> {Sink} ({Kind})")]
    private static partial void LogStarted(ILogger logger, string pipeline, string source, string lookups, string sink, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline} progress: rows in {RowsIn}, rows out {RowsOut}, requests/s {RequestRate:0.0}, cache hit ratio {CacheHitRatio}, retries {Retries}, failures {Failures}")]
    private static partial void LogProgress(ILogger logger, string pipeline, long rowsIn, long rowsOut, double requestRate, string cacheHitRatio, long retries, long failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline} completed in {Seconds:0.00} s: rows in {RowsIn}, rows out {RowsOut}, requests {Requests}, retries {Retries}, failures {Failures}, cache hit ratio {CacheHitRatio}; sink: {SinkSummary}")]
    private static partial void LogCompleted(ILogger logger, string pipeline, double seconds, long rowsIn, long rowsOut, long requests, long retries, long failures, string cacheHitRatio, string sinkSummary);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline {Pipeline} failed after {Seconds:0.00} s: {Error} (rows in {RowsIn}, rows out {RowsOut}, requests {Requests}, retries {Retries}, failures {Failures}; sink: {SinkSummary})")]
    private static partial void LogFailed(ILogger logger, string pipeline, double seconds, string error, long rowsIn, long rowsOut, long requests, long retries, long failures, string sinkSummary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: draining {Count} running pipeline(s) within {Seconds:0.#} s")]
    private static partial void LogDraining(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline {Pipeline} {Reason}; {InLookups} element(s) in lookups and {InSink} row(s) in the sink were not delivered")]
    private static partial void LogDrainCutShort(ILogger logger, string pipeline, string reason, long inLookups, long inSink);
}
