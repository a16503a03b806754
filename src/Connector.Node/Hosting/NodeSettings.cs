using Akka.Configuration;
using Microsoft.Extensions.Logging;

namespace Connector.Node.Hosting;

/// <summary>The node's own settings under <c>httpactors.node</c>.</summary>
internal sealed record NodeSettings(string SystemName, TimeSpan ProgressInterval, TimeSpan DrainTimeout, TimeSpan MemberUpTimeout, LogLevel LogLevel)
{
    public static NodeSettings Create(Config config)
    {
        var section = config.GetConfig("httpactors.node");
        var level = section.GetString("log-level", "Information");
        if (!Enum.TryParse<LogLevel>(level, ignoreCase: true, out var logLevel))
        {
            throw new Connector.Actors.Options.ConfigurationException(
            [
                new("httpactors.node", "log-level", $"invalid value '{level}'; allowed values: Trace, Debug, Information, Warning, Error, Critical."),
            ]);
        }

        return new NodeSettings(
            section.GetString("system-name", "httpactors"),
            section.GetTimeSpan("progress-interval", TimeSpan.FromSeconds(5)),
            section.GetTimeSpan("drain-timeout", TimeSpan.FromSeconds(30)),
            section.GetTimeSpan("member-up-timeout", TimeSpan.FromSeconds(20)),
            logLevel);
    }
}
