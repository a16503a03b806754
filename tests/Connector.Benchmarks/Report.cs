using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Connector.Benchmarks;

/// <summary>The machine a run measured on, read from the runtime and from /proc where it exists.</summary>
internal sealed record MachineInfo(int ProcessorCount, string? CpuModel, string? Memory, string Runtime, string OperatingSystem)
{
    public static MachineInfo Read() => new(
        Environment.ProcessorCount,
        ProcLine("/proc/cpuinfo", "model name"),
        ProcLine("/proc/meminfo", "MemTotal"),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);

    /// <summary>Returns the 1-, 5- and 15-minute load averages, or null where /proc/loadavg does not exist.</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    private static string? ProcLine(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }
}

/// <summary>The whole run: when, where, how, and every scenario's figures and targets.</summary>
internal sealed record BenchmarkReport(
    DateTimeOffset Started,
    MachineInfo Machine,
    string? LoadAverageAtStart,
    string? LoadAverageAtEnd,
    BenchmarkProfile Profile,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<TargetOutcome> Targets);

/// <summary>Whether a scenario met one of its targets. <paramref name="Met"/> is null in a smoke run, which checks no target.</summary>
internal sealed record TargetOutcome(string Scenario, string Target, bool? Met);

/// <summary>Writes a report as a Markdown table and as JSON.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void WriteMarkdown(TextWriter output, BenchmarkReport report)
    {
        var machine = report.Machine;
        output.WriteLine($"Run started {report.Started:yyyy-MM-dd HH:mm} UTC on {machine.ProcessorCount} CPU(s), {machine.CpuModel ?? "unknown CPU"}, " +
            $"{machine.Memory ?? "unknown memory"}, {machine.Runtime}; load average {report.LoadAverageAtStart ?? "n/a"} at start, " +
            $"{report.LoadAverageAtEnd ?? "n/a"} at end.");
        output.WriteLine(report.Profile.Smoke
            ? "Smoke run: no warm-up and one iteration per side with tiny counts; the figures only show that the harness works."
            : $"Full run: {report.Profile.MinWarmupIterations} to {report.Profile.MaxWarmupIterations} warm-up iterations " +
                $"(at least {BenchmarkProfile.MinWarmupTime.TotalSeconds:0} s) and {report.Profile.Iterations} measured iteration(s) per side; " +
                "figures are medians over the measured iterations.");
        output.WriteLine();
        output.WriteLine("| scenario | side | elements/s (min–max) | requests/s | p50 ms | p99 ms | alloc B/element | CPU µs/element | switches/element | connections | ratio |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var scenario in report.Scenarios)
        {
            WriteSide(output, scenario.Name, "connector", scenario.Connector, Format(scenario.ThroughputRatio, "0.00"));
            WriteSide(output, scenario.Name, "baseline", scenario.Baseline, string.Empty);
        }

        output.WriteLine();
        output.WriteLine("| scenario | target | result |");
        output.WriteLine("| --- | --- | --- |");
        foreach (var target in report.Targets)
        {
            var result = target.Met switch
            {
                true => "met",
                false => "missed",
                null => "not checked in a smoke run",
            };
            output.WriteLine($"| {target.Scenario} | {target.Target} | {result} |");
        }

        output.WriteLine();
        output.WriteLine("Sides:");
        foreach (var scenario in report.Scenarios)
        {
            output.WriteLine(
                $"- {scenario.Name}: connector = {scenario.Connector.Description}; baseline = {scenario.Baseline.Description}; " +
                $"{scenario.WarmupIterations} warm-up iteration(s) per side.");
        }
    }

    public static async Task WriteJsonAsync(string path, BenchmarkReport report)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, report, JsonOptions);
    }

    private static void WriteSide(TextWriter output, string scenario, string side, SideSummary summary, string ratio)
    {
        output.WriteLine(
            $"| {scenario} | {side} | {Format(summary.ElementsPerSecond, "#,0")} ({Format(summary.MinElementsPerSecond, "#,0")}–{Format(summary.MaxElementsPerSecond, "#,0")}) " +
            $"| {Format(summary.RequestsPerSecond, "#,0")} | {Format(summary.P50Milliseconds, "0.0###")} | {Format(summary.P99Milliseconds, "0.0###")} " +
            $"| {Format(summary.AllocatedBytesPerElement, "#,0")} | {Format(summary.CpuMicrosecondsPerElement, "0.00")} " +
            $"| {Format(summary.ContextSwitchesPerElement, "0.00")} | {summary.ConnectionsOpened} | {ratio} |");
    }

    private static string Format(double? value, string format) =>
        value is { } number ? number.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
