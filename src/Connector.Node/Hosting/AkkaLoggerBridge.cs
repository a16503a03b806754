using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace Connector.Node.Hosting;

/// <summary>
/// The actor system's logger: forwards Akka log events to Microsoft.Extensions.Logging with the log source as a
/// structured field, so Akka's lines share the node's format and destination.
/// </summary>
internal sealed class AkkaLoggerBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _loggerFactory;

    public AkkaLoggerBridge()
    {
        _loggerFactory = Context.System.Settings.Setup.Get<LoggerFactorySetup>().Value?.LoggerFactory
            ?? throw new InvalidOperationException("AkkaLoggerBridge needs a LoggerFactorySetup in the actor system setup.");

        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Log);
    }

    private void Log(LogEvent logEvent)
    {
        var level = logEvent.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => Microsoft.Extensions.Logging.LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => Microsoft.Extensions.Logging.LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => Microsoft.Extensions.Logging.LogLevel.Warning,
            _ => Microsoft.Extensions.Logging.LogLevel.Error,
        };
        var logger = _loggerFactory.CreateLogger("Akka." + (logEvent.LogClass?.Name ?? "ActorSystem"));
        if (!logger.IsEnabled(level))
        {
            return;
        }

        logger.Log(level, logEvent.Cause, "{LogSource}: {AkkaMessage}", logEvent.LogSource, logEvent.Message?.ToString());
    }
}
