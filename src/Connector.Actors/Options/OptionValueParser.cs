using System.Globalization;

namespace Connector.Actors.Options;

/// <summary>
/// Parsers for whole-number, byte-size and boolean option values.
/// </summary>
internal static class OptionValueParser
{
    private const long Kibibyte = 1024;
    private const long Mebibyte = 1024 * Kibibyte;
    private const long Gibibyte = 1024 * Mebibyte;
    private const long Tebibyte = 1024 * Gibibyte;

    // Labels of Flink's MemorySize plus kib, mib, gib and tib. All units are binary, so 1kb is 1024 bytes.
    private static readonly Dictionary<string, long> BytesPerUnit = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b"] = 1,
        ["bytes"] = 1,
        ["k"] = Kibibyte,
        ["kb"] = Kibibyte,
        ["kib"] = Kibibyte,
        ["kibibytes"] = Kibibyte,
        ["m"] = Mebibyte,
        ["mb"] = Mebibyte,
        ["mib"] = Mebibyte,
        ["mebibytes"] = Mebibyte,
        ["g"] = Gibibyte,
        ["gb"] = Gibibyte,
        ["gib"] = Gibibyte,
        ["gibibytes"] = Gibibyte,
        ["t"] = Tebibyte,
        ["tb"] = Tebibyte,
        ["tib"] = Tebibyte,
        ["tebibytes"] = Tebibyte,
    };

    /// <summary>
    /// Parses a base-10 whole number from 1 to <see cref="int.MaxValue"/>, ignoring leading and trailing whitespace.
    /// Signs, decimal points, group separators and exponents are rejected.
    /// </summary>
    /// <exception cref="OptionFormatException">The text is not such a number. The message names the text.</exception>
    public static int ParsePositiveInt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var trimmed = text.Trim();
        if (trimmed.Length == 0
            || !trimmed.All(char.IsAsciiDigit)
            || !int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value < 1)
        {
            throw new OptionFormatException(
                $"Invalid value '{text}': expected a whole number of at least 1 and at most {int.MaxValue}.");
        }

        return value;
    }

    /// <summary>
    /// Parses a size in bytes: a whole number, optional whitespace and an optional unit, with leading and
    /// trailing whitespace ignored.
    /// </summary>
    /// <remarks>
    /// A number without a unit is bytes. Units are b and bytes, k, kb, kib and kibibytes (1024 bytes),
    /// m, mb, mib and mebibytes (1024² bytes), g, gb, gib and gibibytes (1024³ bytes), and
    /// t, tb, tib and tebibytes (1024⁴ bytes), in any letter case.
    /// </remarks>
    /// <exception cref="OptionFormatException">
    /// The text is not such a size, is below 1 byte or exceeds <see cref="long.MaxValue"/> bytes. The message names the text.
    /// </exception>
    public static long ParseByteSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var trimmed = text.Trim();
        var digitCount = 0;
        while (digitCount < trimmed.Length && char.IsAsciiDigit(trimmed[digitCount]))
        {
            digitCount++;
        }

        var unitText = trimmed[digitCount..].TrimStart();
        var bytesPerUnit = 1L;
        if (digitCount == 0
            || (unitText.Length > 0 && !BytesPerUnit.TryGetValue(unitText, out bytesPerUnit))
            || !long.TryParse(trimmed.AsSpan(0, digitCount), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value < 1
            || value > long.MaxValue / bytesPerUnit)
        {
            throw new OptionFormatException(
                $"Invalid size '{text}': expected a size from 1 to {long.MaxValue} bytes, written as a whole number " +
                "with an optional unit (b, kb, mb, gb, tb) such as 512kb or 5mb. Units are binary, so 1kb is 1024 bytes.");
        }

        return value * bytesPerUnit;
    }

    /// <summary>
    /// Parses <c>true</c> or <c>false</c> in any letter case, ignoring leading and trailing whitespace.
    /// </summary>
    /// <exception cref="OptionFormatException">The text is neither. The message names the text.</exception>
    public static bool ParseBoolean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var trimmed = text.Trim();
        if (string.Equals(trimmed, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(trimmed, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw new OptionFormatException($"Invalid value '{text}': expected true or false.");
    }
}
