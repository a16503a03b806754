using System.Collections.ObjectModel;
using System.Globalization;

namespace Connector.Actors.Options;

/// <summary>
/// Immutable set of HTTP status codes from 100 to 599, written in the lookup code list syntax
/// such as <c>2XX,404,!203</c>.
/// </summary>
internal sealed class StatusCodeSet : IEquatable<StatusCodeSet>
{
    /// <summary>Lowest status code a set can contain.</summary>
    public const int MinCode = 100;

    /// <summary>Highest status code a set can contain.</summary>
    public const int MaxCode = 599;

    private const int CodesPerClass = 100;

    // Indexed by status code, so indexes below MinCode stay false.
    private readonly bool[] _members;
    private readonly ReadOnlyCollection<int> _codes;

    private StatusCodeSet(bool[] members)
    {
        _members = members;

        var codes = new List<int>();
        for (var code = MinCode; code <= MaxCode; code++)
        {
            if (members[code])
            {
                codes.Add(code);
            }
        }

        _codes = codes.AsReadOnly();
    }

    /// <summary>Set that contains no code.</summary>
    public static StatusCodeSet Empty { get; } = new(new bool[MaxCode + 1]);

    /// <summary>Codes in the set, in ascending order.</summary>
    public IReadOnlyList<int> Codes => _codes;

    /// <summary>Whether the set contains no code.</summary>
    public bool IsEmpty => _codes.Count == 0;

    /// <summary>
    /// Creates a set of the given codes. Duplicates are allowed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A code is outside 100 to 599.</exception>
    public static StatusCodeSet Of(params int[] codes)
    {
        ArgumentNullException.ThrowIfNull(codes);

        var members = new bool[MaxCode + 1];
        foreach (var code in codes)
        {
            ThrowIfOutOfRange(code, nameof(codes));
            members[code] = true;
        }

        return new StatusCodeSet(members);
    }

    /// <summary>
    /// Creates the set of all codes from <paramref name="fromInclusive"/> to <paramref name="toInclusive"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A bound is outside 100 to 599, or <paramref name="fromInclusive"/> is greater than <paramref name="toInclusive"/>.
    /// </exception>
    public static StatusCodeSet Range(int fromInclusive, int toInclusive)
    {
        ThrowIfOutOfRange(fromInclusive, nameof(fromInclusive));
        ThrowIfOutOfRange(toInclusive, nameof(toInclusive));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromInclusive, toInclusive);

        var members = new bool[MaxCode + 1];
        for (var code = fromInclusive; code <= toInclusive; code++)
        {
            members[code] = true;
        }

        return new StatusCodeSet(members);
    }

    /// <summary>
    /// Parses a comma-separated list of status code entries.
    /// </summary>
    /// <remarks>
    /// Each entry is trimmed, and empty entries are skipped, so a blank expression gives the empty set.
    /// An entry is one of these:
    /// <list type="bullet">
    /// <item>a code of exactly three digits from 100 to 599, such as <c>404</c>;</item>
    /// <item>a class from <c>1XX</c> to <c>5XX</c>, in any letter case, meaning all 100 codes of that class;</item>
    /// <item><c>!</c> followed by a code, which removes that code from the result wherever the entry is in the list.</item>
    /// </list>
    /// Exclusions win over inclusions, and excluding a code that was never included has no effect.
    /// Classes cannot be excluded.
    /// </remarks>
    /// <exception cref="OptionFormatException">An entry is invalid. The message names the entry.</exception>
    public static StatusCodeSet Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);

        var included = new bool[MaxCode + 1];
        var excluded = new bool[MaxCode + 1];
        foreach (var rawEntry in expression.Split(','))
        {
            var entry = rawEntry.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (entry[0] == '!')
            {
                excluded[ParseExcludedCode(entry)] = true;
                continue;
            }

            if (TryParseClass(entry, out var classDigit))
            {
                var first = classDigit * CodesPerClass;
                Array.Fill(included, true, first, CodesPerClass);
                continue;
            }

            if (TryParseCode(entry, out var code))
            {
                included[code] = true;
                continue;
            }

            throw new OptionFormatException(
                $"Invalid status code entry '{entry}': expected a code from 100 to 599 such as 404, " +
                "a class from 1XX to 5XX such as 4XX, or an excluded code such as !404.");
        }

        for (var code = MinCode; code <= MaxCode; code++)
        {
            if (excluded[code])
            {
                included[code] = false;
            }
        }

        return new StatusCodeSet(included);
    }

    /// <summary>
    /// Parses a single status code written as exactly three ASCII digits from 100 to 599.
    /// Signs, leading zeros, whitespace and digits of other scripts are rejected.
    /// On failure <paramref name="code"/> is 0.
    /// </summary>
    public static bool TryParseCode(string text, out int code)
    {
        code = 0;
        if (text.Length != 3 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        var value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value < MinCode || value > MaxCode)
        {
            return false;
        }

        code = value;
        return true;
    }

    /// <summary>
    /// Returns whether the set contains <paramref name="code"/>. Codes outside 100 to 599 are never contained.
    /// </summary>
    public bool Contains(int code)
    {
        return code >= MinCode && code <= MaxCode && _members[code];
    }

    /// <summary>Creates the set of codes that are in this set, in <paramref name="other"/>, or in both.</summary>
    public StatusCodeSet Union(StatusCodeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);

        var members = new bool[MaxCode + 1];
        for (var code = MinCode; code <= MaxCode; code++)
        {
            members[code] = _members[code] || other._members[code];
        }

        return new StatusCodeSet(members);
    }

    /// <summary>Creates the set of codes that are in this set but not in <paramref name="other"/>.</summary>
    public StatusCodeSet Except(StatusCodeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);

        var members = new bool[MaxCode + 1];
        for (var code = MinCode; code <= MaxCode; code++)
        {
            members[code] = _members[code] && !other._members[code];
        }

        return new StatusCodeSet(members);
    }

    /// <summary>Returns the codes that are in both sets, in ascending order.</summary>
    public IReadOnlyList<int> Intersect(StatusCodeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);

        return _codes.Where(other.Contains).ToList().AsReadOnly();
    }

    /// <summary>
    /// Formats the set as an expression that <see cref="Parse"/> turns back into an equal set,
    /// such as <c>2XX,404,!203,!205</c>. The empty set formats as an empty string.
    /// </summary>
    /// <remarks>
    /// A class with all 100 codes is written as <c>dXX</c>. A class with more than 50 codes is written as
    /// <c>dXX</c> plus exclusions for the missing codes, and any other class lists its codes.
    /// </remarks>
    public override string ToString()
    {
        var inclusions = new List<string>();
        var exclusions = new List<string>();
        for (var classDigit = 1; classDigit <= 5; classDigit++)
        {
            var first = classDigit * CodesPerClass;
            var last = first + CodesPerClass - 1;
            var count = _codes.Count(code => code >= first && code <= last);
            if (count == 0)
            {
                continue;
            }

            if (count * 2 > CodesPerClass)
            {
                inclusions.Add(string.Create(CultureInfo.InvariantCulture, $"{classDigit}XX"));
                for (var code = first; code <= last; code++)
                {
                    if (!_members[code])
                    {
                        exclusions.Add(string.Create(CultureInfo.InvariantCulture, $"!{code}"));
                    }
                }

                continue;
            }

            for (var code = first; code <= last; code++)
            {
                if (_members[code])
                {
                    inclusions.Add(code.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        return string.Join(",", inclusions.Concat(exclusions));
    }

    /// <summary>Returns whether both sets contain the same codes.</summary>
    public bool Equals(StatusCodeSet? other)
    {
        if (other is null)
        {
            return false;
        }

        return _codes.SequenceEqual(other._codes);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj)
    {
        return Equals(obj as StatusCodeSet);
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var code in _codes)
        {
            hash.Add(code);
        }

        return hash.ToHashCode();
    }

    private static int ParseExcludedCode(string entry)
    {
        var codeText = entry[1..];
        if (TryParseClass(codeText, out _))
        {
            throw new OptionFormatException(
                $"Invalid status code entry '{entry}': a class cannot be excluded, " +
                "so exclude single codes such as !404 instead.");
        }

        if (!TryParseCode(codeText, out var code))
        {
            throw new OptionFormatException(
                $"Invalid status code entry '{entry}': expected '!' followed by a code from 100 to 599, such as !404.");
        }

        return code;
    }

    private static bool TryParseClass(string text, out int classDigit)
    {
        classDigit = 0;
        if (text.Length != 3 || text[0] < '1' || text[0] > '5' || !IsClassWildcard(text[1]) || !IsClassWildcard(text[2]))
        {
            return false;
        }

        classDigit = text[0] - '0';
        return true;
    }

    private static bool IsClassWildcard(char character)
    {
        return character is 'X' or 'x';
    }

    private static void ThrowIfOutOfRange(int code, string parameterName)
    {
        if (code < MinCode || code > MaxCode)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                code,
                $"Status codes must be from {MinCode} to {MaxCode}.");
        }
    }
}
