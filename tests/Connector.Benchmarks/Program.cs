using System.CommandLine;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Connector.Benchmarks;
using Connector.Benchmarks.Scenarios;

var smoke = new Option<bool>("--smoke")
{
    Description = "Run every scenario once with tiny counts, only to check that the harness works; the targets are not meaningful then.",
};
var json = new Option<string?>("--json")
{
    Description = "Also write the report as JSON to this file.",
};
var iterations = new Option<int>("--iterations")
{
    Description = "Measured iterations per side in a full run; the report shows their median.",
    // Single pairs of a lookup scenario differ by up to 10% from the median on 2 cores, so 5 pairs left the median
    // several percent off from one run to the next. An uncached lookup pair takes under a second.
    DefaultValueFactory = _ => 21,
};
var filter = new Option<string?>("--filter")
{
    Description = "Run only the scenarios whose name contains this text, such as lookup-get or sink.",
};
var breakdown = new Option<bool>("--breakdown")
{
    Description = "Also run the GET lookup path in parts (sender only, lookup service only, stream only) against the same baseline.",
};
var allocationTypes = new Option<bool>("--allocation-types")
{
    Description = "Sample the allocated types of each side's measured iterations and print the largest shares to standard error.",
};

var root = new RootCommand(
    "Measures the lookup join and the HTTP sink against plain HttpClient loops, both sending to a Kestrel endpoint " +
    "on 127.0.0.1 in this process, and prints a Markdown table.")
{
    smoke,
    json,
    iterations,
    filter,
    breakdown,
    allocationTypes,
};
root.SetAction(async (parseResult, _) =>
{
    var count = parseResult.GetValue(iterations);
    if (count < 1)
    {
        Console.Error.WriteLine($"Invalid --iterations value {count}; it must be at least 1.");
        return 2;
    }

    var profile = parseResult.GetValue(smoke) ? BenchmarkProfile.SmokeRun : BenchmarkProfile.Full(count);
    var scenarios = ScenarioCatalog.Create(profile, parseResult.GetValue(breakdown));
    var nameFilter = parseResult.GetValue(filter);
    var selected = scenarios
        .Where(s => nameFilter is null || s.Name.Contains(nameFilter, StringComparison.OrdinalIgnoreCase))
        .ToList();
    if (selected.Count == 0)
    {
        Console.Error.WriteLine($"No scenario name contains '{nameFilter}'; names: {string.Join(", ", scenarios.Select(s => s.Name))}.");
        return 2;
    }

    using var sampler = parseResult.GetValue(allocationTypes) ? new AllocationSampler() : null;
    return await RunAsync(profile, selected, parseResult.GetValue(json), sampler);
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Run with --help for usage.");
    return 2;
}

return await parsed.InvokeAsync();

static async Task<int> RunAsync(BenchmarkProfile profile, List<ScenarioDefinition> scenarios, string? jsonPath, AllocationSampler? sampler)
{
    var started = DateTimeOffset.UtcNow;
    var loadAtStart = MachineInfo.LoadAverage();
    await using var server = await BenchmarkServer.StartAsync();
    using var system = ActorSystem.Create(
        "benchmarks",
        ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
    try
    {
        var context = new BenchmarkContext(server, system.Materializer(), profile);
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            Console.Error.WriteLine($"{scenario.Name}: {scenario.Elements:#,0} elements per iteration, concurrency {scenario.Concurrency}");
            results.Add(await ScenarioRunner.RunAsync(scenario, context, Console.Error, sampler));
        }

        var targets = scenarios.Zip(results)
            .SelectMany(pair => pair.First.Targets.Select(t => new TargetOutcome(pair.First.Name, t.Description, profile.Smoke ? null : t.IsMet(pair.Second))))
            .ToList();
        var report = new BenchmarkReport(started, MachineInfo.Read(), loadAtStart, MachineInfo.LoadAverage(), profile, results, targets);
        ReportWriter.WriteMarkdown(Console.Out, report);
        if (jsonPath is not null)
        {
            await ReportWriter.WriteJsonAsync(jsonPath, report);
            Console.Error.WriteLine($"Wrote {Path.GetFullPath(jsonPath)}.");
        }

        return 0;
    }
    finally
    {
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
