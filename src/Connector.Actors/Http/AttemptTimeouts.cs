using System.Collections.Concurrent;

namespace Connector.Actors.Http;

/// <summary>
/// Hands out the cancellation sources that bound each attempt's duration. With the system clock, a source that was
/// not cancelled is reset and reused by a later attempt, so an attempt allocates no source, timer or link of its own.
/// </summary>
internal sealed class AttemptTimeouts
{
    // Enough for every attempt in flight at the parallelism a table allows. Sources beyond it are disposed.
    private const int MaxResetSources = 256;

    private readonly TimeProvider _time;
    private readonly bool _reusable;
    private readonly ConcurrentQueue<CancellationTokenSource> _resetSources = new();

    public AttemptTimeouts(TimeProvider time)
    {
        _time = time;

        // CancelAfter on a reused source schedules on the system clock, so only that clock's sources are reused.
        _reusable = ReferenceEquals(time, TimeProvider.System);
    }

    /// <summary>
    /// Returns a source that cancels after <paramref name="timeout"/> or when <paramref name="cancellationToken"/>
    /// is cancelled. Give it back with <see cref="Return"/> and the returned link when the attempt ends.
    /// </summary>
    public CancellationTokenSource Rent(TimeSpan timeout, CancellationToken cancellationToken, out CancellationTokenRegistration link)
    {
        CancellationTokenSource source;
        if (!_reusable)
        {
            source = new CancellationTokenSource(timeout, _time);
        }
        else
        {
            if (!_resetSources.TryDequeue(out source!))
            {
                source = new CancellationTokenSource();
            }

            source.CancelAfter(timeout);
        }

        link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source)
            : default;
        return source;
    }

    /// <summary>
    /// Ends an attempt's use of a source. A source that was cancelled, or any source when the clock is not the system's,
    /// is disposed.
    /// </summary>
    public void Return(CancellationTokenSource source, CancellationTokenRegistration link)
    {
        // Disposing the link waits for a cancellation callback that is running, so none can reach a reused source.
        link.Dispose();
        if (_reusable && _resetSources.Count < MaxResetSources && source.TryReset())
        {
            _resetSources.Enqueue(source);
            return;
        }

        source.Dispose();
    }
}
