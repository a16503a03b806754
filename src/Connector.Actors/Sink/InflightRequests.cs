namespace Connector.Actors.Sink;

/// <summary>Counts a sink's requests in flight, so that a failed sink can wait for the others to settle.</summary>
internal sealed class InflightRequests
{
    private int _count;
    private TaskCompletionSource? _idle;

    public void Enter() => Interlocked.Increment(ref _count);

    public void Exit()
    {
        if (Interlocked.Decrement(ref _count) == 0)
        {
            Volatile.Read(ref _idle)?.TrySetResult();
        }
    }

    /// <summary>Completes when no request is in flight. Call it once no request can start any more.</summary>
    public Task WhenIdleAsync()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _idle, idle);
        if (Volatile.Read(ref _count) == 0)
        {
            idle.TrySetResult();
        }

        return idle.Task;
    }
}
