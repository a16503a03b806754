using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Connector.Actors.Tests.Support;

/// <summary>A logger provider that stores every log entry of every level in memory, its exception included.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    /// <summary>The entries logged so far, oldest first.</summary>
    public IReadOnlyList<CapturedLogEntry> Entries => _entries.ToArray();

    /// <summary>The entries as text lines: level, category and message, then the full exception text if any.</summary>
    public IReadOnlyList<string> Lines => _entries.Select(entry => entry.ToString()).ToArray();

    /// <summary>Returns a logger factory at Trace level whose only provider is this one.</summary>
    public ILoggerFactory CreateFactory() =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new CapturedLogEntry(category, logLevel, formatter(state, exception), exception));
    }
}

/// <summary>A log entry that <see cref="CapturingLoggerProvider"/> stored.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message, Exception? Exception = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var line = $"{Level} {Category}: {Message}";
        return Exception is null ? line : line + Environment.NewLine + Exception;
    }
}
