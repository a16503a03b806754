using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Hosting.Logging;
using Akka.Streams;
using Connector.Actors.Options;
using Connector.Node.Configuration;
using Connector.Node.Demo;
using Connector.Node.Pipelines;
using Microsoft.Extensions.Logging;

namespace Connector.Node.Hosting;

/// <summary>Runs the node's commands: loads configuration, joins or forms the cluster, and runs the pipelines.</summary>
internal sealed partial class NodeHost
{
    private readonly TextWriter _output;
    private readonly TextWriter _error;

    private IReadOnlyCollection<string> _variableValues = [];

    public NodeHost(TextWriter output, TextWriter error)
    {
        _output = output;
        _error = error;
    }

    /// <summary>Checks the configuration and lists every problem; returns the exit code.</summary>
    public int Validate(IReadOnlyList<string> paths)
    {
        var (config, problems, variableValues) = NodeConfigLoader.Load(paths);
        _variableValues = variableValues;
        if (problems.Count > 0)
        {
            return ReportProblems(problems);
        }

        var (_, settingsProblems) = NodeSettings.TryCreate(config);
        using var loggerFactory = CreateLoggerFactory(LogLevel.Warning);
        var (plan, planProblems) = NodePlan.Build(config, loggerFactory, _output);
        if (plan is null || settingsProblems.Count > 0)
        {
            plan?.Dispose();
            return ReportProblems([.. settingsProblems, .. planProblems]);
        }

        using (plan)
        {
            _output.WriteLine($"Configuration is valid: {plan.Pipelines.Count} pipeline(s).");
            foreach (var pipeline in plan.Pipelines)
            {
                var lookups = pipeline.Lookups.Count == 0 ? string.Empty : " -> " + string.Join(" -> ", pipeline.Lookups.Select(l => "lookup " + l.OutputType[^1].Name));
                _output.WriteLine($"  {pipeline.Name}: {pipeline.Source.Name}{lookups} -> {pipeline.Sink.Name}; output columns: {pipeline.OutputType}");
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Runs every pipeline until the bounded ones end or <paramref name="stop"/> fires, then drains them until they end,
    /// the drain timeout passes or <paramref name="abort"/> fires. Returns the exit code.
    /// </summary>
    public async Task<int> RunAsync(IReadOnlyList<string> paths, CancellationToken stop, CancellationToken abort = default)
    {
        var (config, problems, variableValues) = NodeConfigLoader.Load(paths);
        _variableValues = variableValues;
        if (problems.Count > 0)
        {
            return ReportProblems(problems);
        }

        var (checkedSettings, settingsProblems) = NodeSettings.TryCreate(config);
        var (check, planProblems) = NodePlan.Build(config, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, _output);
        if (check is null || checkedSettings is null)
        {
            check?.Dispose();
            return ReportProblems([.. settingsProblems, .. planProblems]);
        }

        var settings = checkedSettings;
        using var loggerFactory = CreateLoggerFactory(settings.LogLevel);
        var logger = loggerFactory.CreateLogger("Connector.Node");

        // The first plan only validates. The plan that runs is built again on the started actor system, so that its
        // connectors share endpoint entities with the rest of the cluster.
        check.Dispose();
        DemoEndpoints? demo;
        try
        {
            demo = await DemoEndpoints.StartIfConfiguredAsync(config, loggerFactory).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or System.Net.Sockets.SocketException)
        {
            return ReportProblems([new ConfigurationProblem("httpactors.demo-endpoints", "port",
                $"the demo endpoints cannot start: {exception.Message} Stop what uses the port or choose another one.")]);
        }

        await using var demoEndpoints = demo;
        ActorSystem system;
        try
        {
            system = await StartActorSystemAsync(config, settings, loggerFactory, logger, stop).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return ReportProblems([new ConfigurationProblem("akka.remote.dot-netty.tcp", "hostname and port",
                $"the actor system cannot start: {MessageChain(exception)} Check the host name and port, or stop what uses the port.")]);
        }

        try
        {
            if (stop.IsCancellationRequested)
            {
                // The stop signal came while the node waited to join the cluster, so no pipeline has taken a row yet.
                LogStoppedBeforeStart(logger);
                return ExitCodes.Success;
            }

            var (plan, _) = NodePlan.Build(config, loggerFactory, _output, system);
            using (plan!)
            {
                var runner = new PipelineRunner(logger, settings.ProgressInterval, settings.DrainTimeout);
                var succeeded = await runner.RunAsync(plan!, system.Materializer(), stop, abort).ConfigureAwait(false);
                return succeeded ? ExitCodes.Success : ExitCodes.PipelineFailed;
            }
        }
        finally
        {
            LogLeaving(logger, Akka.Cluster.Cluster.Get(system).SelfAddress.ToString());
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        }
    }

    /// <summary>Prints every connector option with its default and meaning.</summary>
    public int PrintOptions()
    {
        var sections = new (string Title, IReadOnlyList<OptionDescriptor> Options)[]
        {
            ("rest-lookup (HTTP lookup join)", LookupOptions.All),
            ("http-sink (HTTP sink)", SinkOptions.All),
            ("datagen (source)", Tables.NodeConnectorOptions.DatagenOptions),
            ("file (NDJSON source or sink)", Tables.NodeConnectorOptions.FileOptions),
            ("print (sink)", Tables.NodeConnectorOptions.PrintOptions),
            ("blackhole (sink)", Tables.NodeConnectorOptions.BlackholeOptions),
            ("a pipeline's lookup step (an entry of lookups = [ ... ])", PipelineDefinition.LookupStepKeys),
        };
        foreach (var (title, options) in sections)
        {
            _output.WriteLine(title);
            foreach (var option in options)
            {
                var defaultText = $"default: {option.Default}";
                if (option.Default is null)
                {
                    defaultText = "no default";
                }
                else if (option.Default.Length == 0)
                {
                    defaultText = "default: empty";
                }

                _output.WriteLine($"  {option.Name} ({defaultText})");
                _output.WriteLine($"      {option.Description}");
            }

            _output.WriteLine();
        }

        return ExitCodes.Success;
    }

    private static string MessageChain(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(" ", messages);
    }

    private int ReportProblems(IReadOnlyList<ConfigurationProblem> problems)
    {
        // An environment variable may hold a secret that went into the wrong option, so its value is masked. Values
        // shorter than four characters are left, because masking them would garble ordinary words and numbers.
        var message = new Connector.Actors.Options.ConfigurationException(problems).Message;
        foreach (var value in _variableValues.Where(v => v.Length >= 4).OrderByDescending(v => v.Length))
        {
            message = message.Replace(value, "***", StringComparison.Ordinal);
        }

        _error.WriteLine(message);
        return ExitCodes.InvalidConfiguration;
    }

    private ILoggerFactory CreateLoggerFactory(LogLevel level) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(level);
        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
        });

        // Standard output carries only the rows of print sinks, so every log line goes to standard error.
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    private static async Task<ActorSystem> StartActorSystemAsync(
        Config config, NodeSettings settings, ILoggerFactory loggerFactory, ILogger logger, CancellationToken stop)
    {
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), new LoggerFactorySetup(loggerFactory));
        var system = ActorSystem.Create(settings.SystemName, setup);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        if (config.GetStringList("akka.cluster.seed-nodes").Count == 0)
        {
            cluster.Join(cluster.SelfAddress);
        }

        // Every node starts the endpoint shard region, so that it can host endpoint entities and read sharding's
        // messages even when none of its own tables needs an entity.
        Connector.Actors.Cluster.EndpointCoordinator.Get(system);

        // A stop signal ends the wait too. The delay's task is then cancelled, which WhenAny returns without throwing.
        if (await Task.WhenAny(up.Task, Task.Delay(settings.MemberUpTimeout, stop)).ConfigureAwait(false) == up.Task)
        {
            LogMemberUp(logger, cluster.SelfAddress.ToString());
        }
        else if (!stop.IsCancellationRequested)
        {
            LogMemberUpTimedOut(logger, cluster.SelfAddress.ToString(), settings.MemberUpTimeout.TotalSeconds);
        }

        return system;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster member {Address} is up")]
    private static partial void LogMemberUp(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster member {Address} is not up after {Seconds:0} s; pipelines start anyway because their data path is local")]
    private static partial void LogMemberUpTimedOut(ILogger logger, string address, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped before the pipelines started")]
    private static partial void LogStoppedBeforeStart(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leaving the cluster as {Address}")]
    private static partial void LogLeaving(ILogger logger, string address);
}
