using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Tests.Auth;

/// <summary>
/// A logger provider that stores every log entry at every level, as its formatted message followed by the full
/// text of its exception, inner exceptions included.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The stored entries, oldest first.</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>Returns a logger factory at Trace level whose only provider is this one.</summary>
    public ILoggerFactory CreateFactory() =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            lines.Enqueue(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
