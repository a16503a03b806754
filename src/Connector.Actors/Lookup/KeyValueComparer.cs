using Connector.Actors.Schema;

namespace Connector.Actors.Lookup;

/// <summary>
/// Compares lookup key values by content. Scalars use their own equality. Nested rows, arrays, maps and byte arrays,
/// which are reference types without value equality, are compared element by element, so that equal keys built from
/// different objects share a cache entry.
/// </summary>
internal sealed class KeyValueComparer : IEqualityComparer<object?>
{
    public static readonly KeyValueComparer Instance = new();

    private KeyValueComparer()
    {
    }

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        return (x, y) switch
        {
            (null, _) or (_, null) => false,
            (string left, _) => left.Equals(y),
            // The key column's declared type, not the row's own, shapes the request, so only the values count.
            (Row left, Row right) => SequenceEquals(left.Values, right.Values),
            (byte[] left, byte[] right) => left.AsSpan().SequenceEqual(right),
            (object?[] left, object?[] right) => SequenceEquals(left, right),
            (IDictionary<string, object?> left, IDictionary<string, object?> right) => MapEquals(left, right),
            _ => x.Equals(y),
        };
    }

    public int GetHashCode(object? value)
    {
        switch (value)
        {
            case null:
                return 0;
            case string text:
                return text.GetHashCode();
            case Row row:
                return SequenceHash(row.Values);
            case byte[] bytes:
            {
                var hash = new HashCode();
                hash.AddBytes(bytes);
                return hash.ToHashCode();
            }

            case object?[] items:
                return SequenceHash(items);
            case IDictionary<string, object?> map:
            {
                // Entries are combined in an order-independent way, because equal maps may enumerate differently.
                var hash = map.Count;
                foreach (var (key, item) in map)
                {
                    hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), GetHashCode(item));
                }

                return hash;
            }

            default:
                return value.GetHashCode();
        }
    }

    private bool SequenceEquals(object?[] left, object?[] right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (var i = 0; i < left.Length; i++)
        {
            if (!Equals(left[i], right[i]))
            {
                return false;
            }
        }

        return true;
    }

    private int SequenceHash(object?[] items)
    {
        var hash = new HashCode();
        foreach (var item in items)
        {
            hash.Add(GetHashCode(item));
        }

        return hash.ToHashCode();
    }

    private bool MapEquals(IDictionary<string, object?> left, IDictionary<string, object?> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (key, item) in left)
        {
            if (!right.TryGetValue(key, out var other) || !Equals(item, other))
            {
                return false;
            }
        }

        return true;
    }
}
