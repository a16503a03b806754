namespace Connector.Actors.Options;

/// <summary>
/// HTTP status codes that the sink treats as errors, parsed from an error code list and an exclusion list.
/// </summary>
/// <remarks>
/// This is the older and simpler syntax, which the Flink HTTP connector also uses for the legacy
/// lookup options. It has no <c>!</c> exclusions. Instead, a separate list names the codes that
/// are never errors.
/// </remarks>
internal sealed class SinkErrorCodes
{
    /// <summary>Error code list used when none is given.</summary>
    public const string DefaultErrorCodes = "4XX,5XX";

    private SinkErrorCodes(StatusCodeSet errorCodes, StatusCodeSet excludedCodes, bool isDefault)
    {
        ErrorCodes = errorCodes;
        ExcludedCodes = excludedCodes;
        IsDefault = isDefault;
    }

    /// <summary>Codes that the error code list names, including codes that are also excluded.</summary>
    public StatusCodeSet ErrorCodes { get; }

    /// <summary>Codes that are never errors, even when the error code list names them.</summary>
    public StatusCodeSet ExcludedCodes { get; }

    /// <summary>Whether the error code list was unset or blank, so the default <c>4XX,5XX</c> applies.</summary>
    public bool IsDefault { get; }

    /// <summary>
    /// Parses the error code list and the exclusion list.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <paramref name="errorCodes"/> is split on commas. Blank entries are skipped, and the others are
    /// trimmed and upper-cased. Each entry must then be exactly three characters: a class from
    /// <c>1XX</c> to <c>5XX</c>, or a code from 100 to 599. When the list is null, blank or has only blank
    /// entries, the default <c>4XX,5XX</c> applies. Any other list replaces the default.
    /// </para>
    /// <para>
    /// <paramref name="exclude"/> is a comma-separated list of single codes from 100 to 599. Entries are trimmed
    /// and blank entries are skipped. Classes are not allowed there.
    /// </para>
    /// </remarks>
    /// <exception cref="OptionFormatException">An entry of either list is invalid. The message names the entry.</exception>
    public static SinkErrorCodes Parse(string? errorCodes, string? exclude)
    {
        var parsedErrorCodes = ParseErrorCodes(errorCodes ?? string.Empty);
        var excludedCodes = ParseExcludedCodes(exclude ?? string.Empty);
        var isDefault = parsedErrorCodes is null;

        return new SinkErrorCodes(
            parsedErrorCodes ?? StatusCodeSet.Parse(DefaultErrorCodes),
            excludedCodes,
            isDefault);
    }

    /// <summary>
    /// Returns whether <paramref name="code"/> is an error, which means that the error code list names it
    /// and the exclusion list does not.
    /// </summary>
    /// <remarks>
    /// NOTE: codes outside 100 to 599 are never errors, as in the Flink connector, so a caller that must
    /// reject such responses has to check the range itself.
    /// </remarks>
    public bool IsError(int code)
    {
        return !ExcludedCodes.Contains(code) && ErrorCodes.Contains(code);
    }

    // Returns null when the list has no non-blank entry, so the caller applies the default.
    private static StatusCodeSet? ParseErrorCodes(string text)
    {
        var codes = new List<int>();
        var hasEntry = false;
        foreach (var rawEntry in text.Split(','))
        {
            if (string.IsNullOrWhiteSpace(rawEntry))
            {
                continue;
            }

            hasEntry = true;
            var entry = rawEntry.Trim();
            var normalized = entry.ToUpperInvariant();
            if (normalized.Length == 3 && normalized[1] == 'X' && normalized[2] == 'X' && normalized[0] is >= '1' and <= '5')
            {
                var first = (normalized[0] - '0') * 100;
                codes.AddRange(Enumerable.Range(first, 100));
                continue;
            }

            if (StatusCodeSet.TryParseCode(normalized, out var code))
            {
                codes.Add(code);
                continue;
            }

            throw new OptionFormatException(
                $"Invalid error code entry '{entry}': expected a code from 100 to 599 such as 404, " +
                "or a class from 1XX to 5XX such as 4XX.");
        }

        return hasEntry ? StatusCodeSet.Of([.. codes]) : null;
    }

    private static StatusCodeSet ParseExcludedCodes(string text)
    {
        var codes = new List<int>();
        foreach (var rawEntry in text.Split(','))
        {
            var entry = rawEntry.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (!StatusCodeSet.TryParseCode(entry, out var code))
            {
                throw new OptionFormatException(
                    $"Invalid excluded code entry '{entry}': expected a single code from 100 to 599 such as 404. " +
                    "Classes such as 4XX cannot be excluded.");
            }

            codes.Add(code);
        }

        return StatusCodeSet.Of([.. codes]);
    }
}
