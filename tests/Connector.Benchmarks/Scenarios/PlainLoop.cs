namespace Connector.Benchmarks.Scenarios;

/// <summary>The baseline's worker pool: a fixed number of workers that take element indexes from a shared counter.</summary>
internal static class PlainLoop
{
    /// <summary>
    /// Runs <paramref name="work"/> once for each index below <paramref name="count"/>, with
    /// <paramref name="concurrency"/> workers, and completes when every worker has finished.
    /// </summary>
    public static Task RunAsync(int concurrency, int count, Func<int, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var next = -1;
        var workers = new Task[concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(
                async () =>
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next)) < count)
                    {
                        await work(index, cancellationToken).ConfigureAwait(false);
                    }
                },
                cancellationToken);
        }

        return Task.WhenAll(workers);
    }
}
