using System.CommandLine;
using System.Runtime.InteropServices;
using Connector.Node.Hosting;

var configs = new Argument<string[]>("config")
{
    Arity = ArgumentArity.OneOrMore,
    Description = "HOCON files, merged in order; later files override earlier ones.",
};

var host = new NodeHost(Console.Out, Console.Error);

var run = new Command("run", "Join or form the cluster and run every pipeline the configuration declares.") { configs };
run.SetAction(async (parseResult, _) =>
{
    using var stop = new CancellationTokenSource();
    using var abort = new CancellationTokenSource();
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    return await host.RunAsync(parseResult.GetValue(configs)!, stop.Token, abort.Token);

    void Stop(PosixSignalContext context)
    {
        // The first signal drains the pipelines, and a second one during the drain ends it at once. The node leaves
        // the cluster before it exits either way.
        context.Cancel = true;
        if (stop.IsCancellationRequested)
        {
            abort.Cancel();
        }
        else
        {
            stop.Cancel();
        }
    }
});

var validate = new Command("validate", "Check the configuration and list every problem.") { configs };
validate.SetAction(parseResult => host.Validate(parseResult.GetValue(configs)!));

var options = new Command("options", "Print every connector option with its default and meaning.");
options.SetAction(_ => host.PrintOptions());

var root = new RootCommand("HttpActors node: runs HTTP lookup join and HTTP sink pipelines declared in HOCON files.")
{
    run,
    validate,
    options,
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("Run with --help for usage.");
    return ExitCodes.InvalidConfiguration;
}

return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
