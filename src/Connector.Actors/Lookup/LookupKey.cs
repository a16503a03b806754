namespace Connector.Actors.Lookup;

/// <summary>
/// The tuple of key values of one lookup, compared by content as the cache key, nested rows, arrays, maps and bytes
/// included.
/// </summary>
internal readonly struct LookupKey : IEquatable<LookupKey>
{
    private readonly object?[] _values;
    private readonly int _hash;

    public LookupKey(object?[] values)
    {
        _values = values;
        var hash = new HashCode();
        foreach (var value in values)
        {
            hash.Add(value, KeyValueComparer.Instance);
        }

        _hash = hash.ToHashCode();
    }

    private LookupKey(object?[] values, int hash)
    {
        _values = values;
        _hash = hash;
    }

    public object?[] Values => _values;

    /// <summary>Returns an equal key over a copy of the values, for a key that must outlive a reused array.</summary>
    public LookupKey WithOwnValues() => new((object?[])_values.Clone(), _hash);

    public bool Equals(LookupKey other)
    {
        if (_hash != other._hash || _values.Length != other._values.Length)
        {
            return false;
        }

        for (var i = 0; i < _values.Length; i++)
        {
            if (!KeyValueComparer.Instance.Equals(_values[i], other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is LookupKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
