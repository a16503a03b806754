using System.Globalization;

namespace Connector.Actors.Options;

/// <summary>
/// Status code sets of the lookup join, which decide whether a response is used, ignored, retried or failed.
/// </summary>
/// <remarks>
/// <para>
/// The success, retry and ignored response code lists use the <see cref="StatusCodeSet.Parse"/> syntax.
/// A null list takes its default: <c>2XX</c> for success, <c>500,503,504</c> for retry and no code for ignored.
/// A blank list is an explicit empty set, so a blank retry list turns retries by status code off.
/// </para>
/// <para>
/// The success and ignored codes together must contain at least one code, and none of them may also be a retry code.
/// </para>
/// <para>
/// The legacy error code list and its exclusion list (the Flink options <c>lookup.error.code</c> and
/// <c>lookup.error.code.exclude</c>) use the <see cref="SinkErrorCodes.Parse"/> syntax.
/// When the legacy error code list has at least one entry, its codes minus the excluded codes are errors.
/// They are removed from the success and ignored sets before the rules above are checked, but retry codes keep them.
/// When the legacy error code list is null or blank, both legacy lists have no effect, although an
/// invalid exclusion list is still reported. The sink's default of <c>4XX,5XX</c> does not apply here.
/// </para>
/// </remarks>
internal sealed class LookupStatusCodes
{
    /// <summary>Success code list used when none is given.</summary>
    public const string DefaultSuccessCodes = "2XX";

    /// <summary>Retry code list used when none is given.</summary>
    public const string DefaultRetryCodes = "500,503,504";

    private LookupStatusCodes(StatusCodeSet success, StatusCodeSet retry, StatusCodeSet ignored)
    {
        Success = success;
        Retry = retry;
        Ignored = ignored;
    }

    /// <summary>Codes whose response body is used, without the legacy error codes.</summary>
    public StatusCodeSet Success { get; }

    /// <summary>Codes that are transient errors, so the request may be retried.</summary>
    public StatusCodeSet Retry { get; }

    /// <summary>Codes that count as success but whose response body is ignored, without the legacy error codes.</summary>
    public StatusCodeSet Ignored { get; }

    /// <summary>
    /// Parses and checks the lookup status code options. See the class remarks for the rules.
    /// </summary>
    /// <exception cref="OptionFormatException">
    /// A list is invalid or the sets break a rule. The message lists every problem found.
    /// </exception>
    public static LookupStatusCodes Create(
        string? success,
        string? retry,
        string? ignored,
        string? legacyErrorCodes,
        string? legacyErrorCodesExclude)
    {
        var problems = new List<string>();
        var successCodes = ParseList(success ?? DefaultSuccessCodes, "success codes", problems);
        var retryCodes = ParseList(retry ?? DefaultRetryCodes, "retry codes", problems);
        var ignoredCodes = ParseList(ignored ?? string.Empty, "ignored response codes", problems);
        var legacyErrors = ParseLegacyErrorCodes(legacyErrorCodes, legacyErrorCodesExclude, problems);
        if (successCodes is null || retryCodes is null || ignoredCodes is null || legacyErrors is null)
        {
            throw new OptionFormatException(string.Join(" ", problems));
        }

        successCodes = successCodes.Except(legacyErrors);
        ignoredCodes = ignoredCodes.Except(legacyErrors);
        var effectiveSuccess = successCodes.Union(ignoredCodes);
        if (effectiveSuccess.IsEmpty)
        {
            problems.Add(
                "The success code set is empty, so no response could succeed. " +
                "The success codes and the ignored response codes, minus any legacy error codes, " +
                "must contain at least one code.");
        }

        var overlap = effectiveSuccess.Intersect(retryCodes);
        if (overlap.Count > 0)
        {
            problems.Add(DescribeOverlap(overlap));
        }

        if (problems.Count > 0)
        {
            throw new OptionFormatException(string.Join(" ", problems));
        }

        return new LookupStatusCodes(successCodes, retryCodes, ignoredCodes);
    }

    /// <summary>
    /// Classifies a response by its status code. Retry codes are checked first, then ignored codes,
    /// then success codes, and any other code, including codes outside 100 to 599, is an error.
    /// </summary>
    public StatusClass Classify(int code)
    {
        if (Retry.Contains(code))
        {
            return StatusClass.Retry;
        }

        if (Ignored.Contains(code))
        {
            return StatusClass.Ignored;
        }

        if (Success.Contains(code))
        {
            return StatusClass.Success;
        }

        return StatusClass.Error;
    }

    private static StatusCodeSet? ParseList(string expression, string listName, List<string> problems)
    {
        try
        {
            return StatusCodeSet.Parse(expression);
        }
        catch (OptionFormatException exception)
        {
            problems.Add($"The {listName} could not be parsed. {exception.Message}");
            return null;
        }
    }

    // Returns the codes that the legacy options turn into errors, or null when a legacy list is invalid.
    private static StatusCodeSet? ParseLegacyErrorCodes(string? errorCodes, string? exclude, List<string> problems)
    {
        SinkErrorCodes legacy;
        try
        {
            legacy = SinkErrorCodes.Parse(errorCodes, exclude);
        }
        catch (OptionFormatException exception)
        {
            problems.Add($"The legacy error code options could not be parsed. {exception.Message}");
            return null;
        }

        return legacy.IsDefault ? StatusCodeSet.Empty : legacy.ErrorCodes.Except(legacy.ExcludedCodes);
    }

    private static string DescribeOverlap(IReadOnlyList<int> overlap)
    {
        var codes = string.Join(", ", overlap.Select(code => code.ToString(CultureInfo.InvariantCulture)));
        if (overlap.Count == 1)
        {
            return $"Code {codes} is both a retry code and a success or ignored response code. " +
                   "Remove it from one of these lists.";
        }

        return $"Codes {codes} are both retry codes and success or ignored response codes. " +
               "Remove each of them from one of these lists.";
    }
}
