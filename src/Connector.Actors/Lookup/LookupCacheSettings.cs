namespace Connector.Actors.Lookup;

/// <summary>The PARTIAL lookup cache: size and expiry.</summary>
internal sealed record LookupCacheSettings(int MaxRows, TimeSpan? ExpireAfterWrite, TimeSpan? ExpireAfterAccess, bool CacheMissingKey);
