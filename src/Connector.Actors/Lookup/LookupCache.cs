using System.Collections.Concurrent;
using BitFaster.Caching.Lru;
using Connector.Actors.Schema;

namespace Connector.Actors.Lookup;

/// <summary>
/// The PARTIAL lookup cache: an LRU of results by key tuple with expire-after-write and expire-after-access,
/// timed by an injected clock. Concurrent lookups of a key that is being fetched share that one fetch.
/// A fetch that throws, or whose result the caller marks as not cacheable (a failure kept as metadata), is not stored.
/// </summary>
internal sealed class LookupCache
{
    private readonly LookupCacheSettings _settings;
    private readonly TimeProvider _time;
    private readonly ConcurrentLru<LookupKey, Entry> _entries;
    private readonly ConcurrentDictionary<LookupKey, Task<IReadOnlyList<Row>>> _inFlight = new();

    public LookupCache(LookupCacheSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;

        // ConcurrentLru needs room for its three internal queues, so very small capacities are rounded up to 3.
        _entries = new ConcurrentLru<LookupKey, Entry>(Math.Max(3, settings.MaxRows));
    }

    /// <summary>The number of cached keys.</summary>
    public int Count => _entries.Count;

    /// <summary>Returns a cached result that has not expired.</summary>
    public bool TryGet(LookupKey key, out IReadOnlyList<Row> rows)
    {
        rows = [];
        if (!_entries.TryGet(key, out var entry))
        {
            return false;
        }

        var now = _time.GetTimestamp();
        if (IsExpired(entry, now))
        {
            _entries.TryRemove(key);
            return false;
        }

        entry.LastAccess = now;
        rows = entry.Rows;
        return true;
    }

    /// <summary>Returns the cached result, or runs the fetch once for all concurrent callers of the same key.</summary>
    public Task<IReadOnlyList<Row>> GetOrFetchAsync(LookupKey key, Func<LookupKey, Task<(IReadOnlyList<Row> Rows, bool Cacheable)>> fetch)
    {
        if (TryGet(key, out var cached))
        {
            return Task.FromResult(cached);
        }

        var created = new TaskCompletionSource<IReadOnlyList<Row>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _inFlight.GetOrAdd(key, created.Task);
        if (shared != created.Task)
        {
            return shared;
        }

        // A fetch of the same key may have completed after the first check. Such a fetch stores its result before it
        // leaves _inFlight, so this second check finds the result and the key is not fetched twice.
        if (TryGet(key, out cached))
        {
            _inFlight.TryRemove(new KeyValuePair<LookupKey, Task<IReadOnlyList<Row>>>(key, created.Task));
            created.TrySetResult(cached);
            return created.Task;
        }

        _ = RunFetchAsync(key, fetch, created);
        return created.Task;
    }

    private async Task RunFetchAsync(
        LookupKey key,
        Func<LookupKey, Task<(IReadOnlyList<Row> Rows, bool Cacheable)>> fetch,
        TaskCompletionSource<IReadOnlyList<Row>> completion)
    {
        try
        {
            var (rows, cacheable) = await fetch(key).ConfigureAwait(false);
            if (cacheable && (rows.Count > 0 || _settings.CacheMissingKey))
            {
                var now = _time.GetTimestamp();
                _entries.AddOrUpdate(key, new Entry(rows, now));
            }

            _inFlight.TryRemove(key, out _);
            completion.TrySetResult(rows);
        }
        catch (Exception exception)
        {
            _inFlight.TryRemove(key, out _);
            completion.TrySetException(exception);
        }
    }

    private bool IsExpired(Entry entry, long now) =>
        (_settings.ExpireAfterWrite is { } afterWrite && _time.GetElapsedTime(entry.Written, now) >= afterWrite) ||
        (_settings.ExpireAfterAccess is { } afterAccess && _time.GetElapsedTime(entry.LastAccess, now) >= afterAccess);

    private sealed class Entry(IReadOnlyList<Row> rows, long written)
    {
        public IReadOnlyList<Row> Rows { get; } = rows;

        public long Written { get; } = written;

        public long LastAccess { get; set; } = written;
    }
}
