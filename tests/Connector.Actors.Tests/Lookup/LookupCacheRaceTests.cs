using Connector.Actors.Lookup;
using Connector.Actors.Schema;

namespace Connector.Actors.Tests.Lookup;

/// <summary>
/// <see cref="LookupCache.GetOrFetchAsync"/> when a fetch of the same key completes between the caller's cache
/// check and its registration as the key's in-flight fetch.
/// </summary>
public sealed class LookupCacheRaceTests
{
    private static readonly LookupCacheSettings Settings = new(100, null, null, CacheMissingKey: true);

    private static readonly IReadOnlyList<Row> FetchedRows = [Row.Nulls(TypeParser.ParseColumns("msg STRING"))];

    [Fact]
    public async Task FetchCompletedBeforeRegistration_NotRepeated()
    {
        var cache = new LookupCache(Settings, TimeProvider.System);
        var target = new CollidingValue("target");
        var blocker = new CollidingValue("blocker");
        var targetKey = new LookupKey([target]);
        var fetches = 0;
        Task<(IReadOnlyList<Row> Rows, bool Cacheable)> FetchTarget(LookupKey key)
        {
            Interlocked.Increment(ref fetches);
            return Task.FromResult((FetchedRows, true));
        }

        // The blocker's key has the same hash code as the target's, so registering the target as in flight
        // compares it with the blocker's pending entry. That comparison calls the hook, which runs a complete fetch
        // of the target after the caller found no cached entry and before it registers its own fetch.
        var pendingBlocker = new TaskCompletionSource<(IReadOnlyList<Row> Rows, bool Cacheable)>();
        var blockerLookup = cache.GetOrFetchAsync(new LookupKey([blocker]), _ => pendingBlocker.Task);
        blocker.OnEquals = () => cache.GetOrFetchAsync(targetKey, FetchTarget).GetAwaiter().GetResult();

        var rows = await cache.GetOrFetchAsync(targetKey, FetchTarget);

        Assert.Null(blocker.OnEquals);
        Assert.Same(FetchedRows, rows);
        Assert.Equal(1, Volatile.Read(ref fetches));
        pendingBlocker.SetResult(([], false));
        await blockerLookup;
    }

    /// <summary>
    /// A key value whose hash code equals every other instance's, and which runs a hook once when compared.
    /// </summary>
    private sealed class CollidingValue(string name)
    {
        public Action? OnEquals { get; set; }

        public override bool Equals(object? obj)
        {
            var hook = OnEquals;
            OnEquals = null;
            hook?.Invoke();
            return ReferenceEquals(this, obj);
        }

        public override int GetHashCode() => 1;

        public override string ToString() => name;
    }
}
