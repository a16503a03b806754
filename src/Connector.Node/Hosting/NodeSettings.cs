using Akka.Configuration;
using Connector.Actors.Options;
using Microsoft.Extensions.Logging;

namespace Connector.Node.Hosting;

/// <summary>The node's own settings under <c>httpactors.node</c>, checked by both <c>validate</c> and <c>run</c>.</summary>
internal sealed record NodeSettings(string SystemName, TimeSpan ProgressInterval, TimeSpan DrainTimeout, TimeSpan MemberUpTimeout, LogLevel LogLevel)
{
    private const string Scope = "httpactors.node";

    /// <summary>Reads the settings, returning every problem instead of throwing.</summary>
    public static (NodeSettings? Settings, IReadOnlyList<ConfigurationProblem> Problems) TryCreate(Config config)
    {
        var problems = new List<ConfigurationProblem>();
        var section = config.GetConfig(Scope);
        var level = section.GetString("log-level", "Information");
        if (!Enum.TryParse<LogLevel>(level, ignoreCase: true, out var logLevel) || int.TryParse(level, out _) || logLevel == LogLevel.None)
        {
            problems.Add(new(Scope, "log-level", $"invalid value '{level}'; allowed values: Trace, Debug, Information, Warning, Error, Critical."));
        }

        var systemName = section.GetString("system-name", "httpactors");
        if (string.IsNullOrEmpty(systemName) || !systemName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            problems.Add(new(Scope, "system-name", $"invalid value '{systemName}'; use ASCII letters, digits, '-' and '_' only."));
        }

        var progress = ReadPositiveDuration(section, "progress-interval", TimeSpan.FromSeconds(5), problems);
        var drain = ReadPositiveDuration(section, "drain-timeout", TimeSpan.FromSeconds(30), problems);
        var memberUp = ReadPositiveDuration(section, "member-up-timeout", TimeSpan.FromSeconds(20), problems);
        CheckDemoEndpoints(config, problems);
        return problems.Count == 0
            ? (new NodeSettings(systemName, progress, drain, memberUp, logLevel), problems)
            : (null, problems);
    }

    private static TimeSpan ReadPositiveDuration(Config section, string key, TimeSpan defaultValue, List<ConfigurationProblem> problems)
    {
        var text = section.HasPath(key) ? section.GetString(key) : null;
        if (text is null)
        {
            return defaultValue;
        }

        try
        {
            var value = FlinkDuration.Parse(text, DurationUnit.Milliseconds);
            if (value > TimeSpan.Zero)
            {
                return value;
            }
        }
        catch (FormatException)
        {
            // Reported below with the accepted form.
        }

        problems.Add(new(Scope, key, $"invalid duration '{text}'; expected a positive duration such as 500ms, 5s or 1min."));
        return defaultValue;
    }

    private static void CheckDemoEndpoints(Config config, List<ConfigurationProblem> problems)
    {
        var section = config.GetConfig("httpactors.demo-endpoints");
        if (section is null || section.IsEmpty)
        {
            return;
        }

        var host = section.GetString("host", "127.0.0.1");
        if (!System.Net.IPAddress.TryParse(host, out var address) || !System.Net.IPAddress.IsLoopback(address))
        {
            problems.Add(new("httpactors.demo-endpoints", "host", $"invalid value '{host}'; the demo endpoints listen on a loopback address only, such as 127.0.0.1."));
        }

        var port = section.GetString("port", "18080");
        if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
        {
            problems.Add(new("httpactors.demo-endpoints", "port", $"invalid port '{port}'; expected a number from 1 to 65535."));
        }
    }
}
