using System.Globalization;

namespace Connector.Actors.Schema;

/// <summary>
/// The value ranges of TINYINT, SMALLINT and INT, which are those of Java's byte, short and int, as in Flink.
/// Rows store all three as <see cref="int"/>, so these ranges are checked where values enter.
/// </summary>
public static class IntegerRange
{
    /// <summary>Gets the smallest and largest value of TINYINT, SMALLINT or INT, and returns false for any other kind.</summary>
    public static bool TryGet(TypeKind kind, out int min, out int max)
    {
        (min, max) = kind switch
        {
            TypeKind.TinyInt => (sbyte.MinValue, sbyte.MaxValue),
            TypeKind.SmallInt => (short.MinValue, short.MaxValue),
            TypeKind.Int => (int.MinValue, int.MaxValue),
            _ => (0, 0),
        };
        return kind is TypeKind.TinyInt or TypeKind.SmallInt or TypeKind.Int;
    }

    /// <summary>
    /// Returns true when <paramref name="value"/> lies within the range of <paramref name="kind"/>, or when the kind has no
    /// range here because it is not TINYINT, SMALLINT or INT. NaN lies within no range.
    /// </summary>
    public static bool Contains(TypeKind kind, double value) =>
        !TryGet(kind, out var min, out var max) || (value >= min && value <= max);

    /// <summary>Returns the range as message text, such as <c>the TINYINT range -128 to 127</c>.</summary>
    public static string Describe(TypeKind kind)
    {
        if (!TryGet(kind, out var min, out var max))
        {
            throw new ArgumentException($"{kind} is not TINYINT, SMALLINT or INT.", nameof(kind));
        }

        return string.Create(CultureInfo.InvariantCulture, $"the {kind.ToString().ToUpperInvariant()} range {min} to {max}");
    }
}
