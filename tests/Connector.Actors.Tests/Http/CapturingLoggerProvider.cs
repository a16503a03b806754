using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Tests.Http;

/// <summary>A logger provider that stores every log entry of every level in memory.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    /// <summary>The entries logged so far, oldest first.</summary>
    public IReadOnlyList<CapturedLogEntry> Entries => _entries.ToArray();

    /// <summary>Creates a logger factory whose only provider is this one.</summary>
    public ILoggerFactory CreateFactory()
    {
        return new LoggerFactory([this]);
    }

    public ILogger CreateLogger(string categoryName)
    {
        return new CapturingLogger(categoryName, _entries);
    }

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            return null;
        }

        public bool IsEnabled(LogLevel logLevel)
        {
            return logLevel != LogLevel.None;
        }

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            entries.Enqueue(new CapturedLogEntry(category, logLevel, formatter(state, exception)));
        }
    }
}

/// <summary>A log entry that <see cref="CapturingLoggerProvider"/> stored.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message);
