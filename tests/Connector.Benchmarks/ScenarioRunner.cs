using System.Diagnostics;
using Connector.Benchmarks.Scenarios;

namespace Connector.Benchmarks;

/// <summary>Runs a scenario's two sides in alternation and summarizes their measured iterations.</summary>
internal static class ScenarioRunner
{
    /// <summary>Runs the scenario. When <paramref name="sampler"/> is set, it samples the measured iterations of each side.</summary>
    public static async Task<ScenarioResult> RunAsync(
        ScenarioDefinition scenario, BenchmarkContext context, TextWriter progress, AllocationSampler? sampler = null)
    {
        var profile = context.Profile;
        await using var connector = await scenario.CreateConnector(context);
        await using var baseline = await scenario.CreateBaseline(context);
        var connectorSamples = new List<IterationSample>();
        var baselineSamples = new List<IterationSample>();
        long connectorConnections = 0;
        long baselineConnections = 0;
        var warmup = new WarmupTracker(profile);
        for (var i = 0; ; i++)
        {
            var measured = warmup.IsDone;
            var round = measured ? i + 1 - warmup.Iterations : i + 1;
            if (measured && round > profile.Iterations)
            {
                break;
            }

            // The sides take turns going first, so that neither always starts on the other's leftover garbage.
            var connectorFirst = i % 2 == 1;
            IterationSample? connectorSample = null;
            IterationSample? baselineSample = null;
            for (var turn = 0; turn < 2; turn++)
            {
                var isConnector = connectorFirst == (turn == 0);
                sampler?.Attribute(measured ? SamplerLabel(scenario, isConnector) : null);
                var sample = await MeasureAsync(isConnector ? connector : baseline, scenario, context);
                sampler?.Attribute(null);
                if (isConnector)
                {
                    connectorSample = sample;
                    connectorConnections += sample.Connections;
                    AddIf(measured, connectorSamples, sample);
                }
                else
                {
                    baselineSample = sample;
                    baselineConnections += sample.Connections;
                    AddIf(measured, baselineSamples, sample);
                }

                progress.WriteLine(
                    $"  {scenario.Name} {(measured ? "iteration" : "warm-up")} {round} " +
                    $"{(isConnector ? "connector" : "baseline ")}: {sample.ElementsPerSecond,12:#,0} elements/s, " +
                    $"{sample.AllocatedBytesPerElement,8:#,0} B/element, {sample.CpuMicrosecondsPerElement,8:0.00} CPU µs/element");
            }

            if (!measured)
            {
                warmup.Add(connectorSample!.Elapsed + baselineSample!.Elapsed);
            }
        }

        if (sampler is not null)
        {
            sampler.WriteTop(progress, SamplerLabel(scenario, isConnector: true), 15);
            sampler.WriteTop(progress, SamplerLabel(scenario, isConnector: false), 15);
        }

        return new ScenarioResult(
            scenario.Name,
            scenario.Concurrency,
            scenario.Elements,
            warmup.Iterations,
            SideSummary.Create(connector.Description, connectorSamples, connectorConnections, await SeparateLatencyAsync(connector, scenario, context)),
            SideSummary.Create(baseline.Description, baselineSamples, baselineConnections, await SeparateLatencyAsync(baseline, scenario, context)));
    }

    /// <summary>
    /// Decides when warming up is over: after the minimum iterations and the minimum time spent running them. The
    /// collections between iterations do not count, because the compiler's recompilation is driven by running code.
    /// </summary>
    private sealed class WarmupTracker(BenchmarkProfile profile)
    {
        private TimeSpan _running;

        public int Iterations { get; private set; }

        public bool IsDone =>
            Iterations >= profile.MaxWarmupIterations ||
            (Iterations >= profile.MinWarmupIterations && (profile.Smoke || _running >= BenchmarkProfile.MinWarmupTime));

        /// <summary>Counts one warm-up pair that ran for <paramref name="running"/>, both sides together.</summary>
        public void Add(TimeSpan running)
        {
            Iterations++;
            _running += running;
        }
    }

    private static string SamplerLabel(ScenarioDefinition scenario, bool isConnector) =>
        $"{scenario.Name} {(isConnector ? "connector" : "baseline")}";

    private static void AddIf(bool measured, List<IterationSample> samples, IterationSample sample)
    {
        if (measured)
        {
            samples.Add(sample);
        }
    }

    private static async Task<IterationSample> MeasureAsync(IBenchmarkSide side, ScenarioDefinition scenario, BenchmarkContext context)
    {
        using var timeout = new CancellationTokenSource(context.Profile.IterationTimeout);

        // Garbage left by the previous iteration is collected now, so that it is not collected on this one's time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var server = context.Server;
        var requests = server.Requests;
        var connections = server.Connections;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var switches = ContextSwitchCounter.Read();
        var started = Stopwatch.GetTimestamp();
        SideRun run;
        try
        {
            run = await side.RunAsync(scenario.Elements, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{scenario.Name}: '{side.Description}' did not finish {scenario.Elements} elements within {context.Profile.IterationTimeout.TotalSeconds:0} s.");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        var cpuTime = process.TotalProcessorTime - cpu;
        var switchesNow = ContextSwitchCounter.Read();
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return new IterationSample(
            run.Elements,
            server.Requests - requests,
            server.Connections - connections,
            elapsed,
            allocatedBytes,
            cpuTime,
            switchesNow - switches,
            run.Latencies?.Summarize());
    }

    private static async Task<LatencySummary?> SeparateLatencyAsync(IBenchmarkSide side, ScenarioDefinition scenario, BenchmarkContext context)
    {
        if (side is not ISeparateLatencyPass pass)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(context.Profile.IterationTimeout);
        return await pass.MeasureLatencyAsync(scenario.Elements, timeout.Token);
    }
}
