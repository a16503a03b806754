using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Akka.Configuration;

namespace Connector.Node.Configuration;

/// <summary>
/// Resolves the substitutions <c>${NAME}</c> and <c>${?NAME}</c> of a HOCON file from environment variables before
/// Akka's parser reads the file, because that parser (Akka.NET 1.5) resolves substitutions only from the file itself
/// and never returns from an optional substitution that the file does not set.
/// </summary>
/// <remarks>
/// As in HOCON, a path that the file sets wins over an environment variable of the same name. A variable's value
/// enters as a quoted string. An optional substitution that neither the file nor the environment sets
/// leaves its field unset when it is the field's whole value, and is empty text within a concatenation.
/// </remarks>
internal static partial class EnvironmentSubstitution
{
    // The search for unset substitutions parses the file once for each variable it finds, so it stops after this
    // many variables, or after this many parses.
    private const int MaxReportedUnset = 20;
    private const int MaxSearchedUnset = 100;

    // Stands in for an unset variable in a list while the search goes on, because a list element cannot be left out.
    private const string UnsetListElement = "unset";

    /// <summary>
    /// Returns the file parsed with its substitutions resolved, or a problem that names the line and the fix. When
    /// several required substitutions are not set, the problem has one line for each.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="environment">Returns an environment variable's value, or null when it is not set.</param>
    /// <param name="usedValues">Receives the value of every variable that the parsed file takes, so that callers can mask them.</param>
    public static (Config? Config, string? Problem) Parse(
        string text, Func<string, string?> environment, ICollection<string>? usedValues = null)
    {
        var unsetInList = new List<HoconSubstitution>();
        var (config, problem, missing) = ParseOnce(text, environment, usedValues, [], unsetInList);
        if (missing is null)
        {
            return problem is null && unsetInList.Count > 0
                ? (null, string.Join("\n", unsetInList.OrderBy(s => s.Start).DistinctBy(s => s.Path).Select(InListProblem)))
                : (config, problem);
        }

        // Akka's parser stops at the first unresolved substitution. Each one found is left out of the next parse, as an
        // unset optional one would be, to find the rest, so that one run lists every variable to set. A variable is
        // listed at its first unset substitution only.
        var all = HoconScanner.Scan(text, out _);
        var unsetSubstitutions = new List<HoconSubstitution> { missing };
        var leftOut = new HashSet<HoconSubstitution>(all.Where(s => s.Path == missing.Path && !s.IsOptional)) { missing };
        for (var parses = 1; unsetSubstitutions.Count < MaxReportedUnset && parses < MaxSearchedUnset; parses++)
        {
            // The list elements are taken from the last parse, which leaves out every unset required variable found so
            // far, so that it is the parse most likely to reach the point where the file's own paths are known.
            unsetInList = [];
            var (_, _, next) = ParseOnce(text, environment, null, leftOut, unsetInList);
            if (next is null || !leftOut.Add(next))
            {
                break;
            }

            // Every use of the variable is left out at once, so that a variable used many times costs one parse.
            leftOut.UnionWith(all.Where(s => s.Path == next.Path && !s.IsOptional));
            if (!unsetSubstitutions.Exists(s => s.Path == next.Path))
            {
                unsetSubstitutions.Add(next);
            }
        }

        // Each variable is listed once, at its first unset substitution, required or in a list. A reference to a field
        // that is itself set from an unset variable, such as ${base} after base = ${BASE}, resolves once that variable
        // is set, so only the variable is listed.
        var listed = unsetSubstitutions
            .Where(s => !unsetSubstitutions.Exists(other => other != s && other.FieldPath == s.Path))
            .Select(s => (Substitution: s, Problem: UnsetProblem(text, s)))
            .Concat(unsetInList.Select(s => (Substitution: s, Problem: InListProblem(s))))
            .OrderBy(entry => entry.Substitution.Start)
            .DistinctBy(entry => entry.Substitution.Path)
            .Select(entry => entry.Problem);
        return (null, string.Join("\n", listed));
    }

    /// <summary>
    /// Parses the file once. Substitutions in <paramref name="leftOut"/> are treated as unset optional ones, and unset
    /// optional substitutions in lists go to <paramref name="unsetInList"/>, with a placeholder in the parsed text so
    /// that the parse goes on to find unset required ones. The config is returned only when both are empty.
    /// </summary>
    private static (Config? Config, string? Problem, HoconSubstitution? Missing) ParseOnce(
        string text,
        Func<string, string?> environment,
        ICollection<string>? usedValues,
        HashSet<HoconSubstitution> leftOut,
        List<HoconSubstitution> unsetInList)
    {
        var substitutions = HoconScanner.Scan(text, out var syntaxProblem);
        if (syntaxProblem is not null)
        {
            return (null, syntaxProblem, null);
        }

        if (substitutions.Count == 0)
        {
            return (ConfigurationFactory.ParseString(text), null, null);
        }

        // Substitutions are resolved here even when the environment sets none of them, because Akka's parser
        // does not return from an optional substitution that nothing sets.
        var fromEnvironment = new Dictionary<HoconSubstitution, string>();
        var unset = new List<HoconSubstitution>();
        var placeholders = new HashSet<HoconSubstitution>();
        foreach (var substitution in substitutions)
        {
            if (IsVariableName(substitution.Path) && environment(substitution.Path) is { } value)
            {
                fromEnvironment[substitution] = value;
            }
            else if (substitution.InList && (substitution.IsOptional || leftOut.Contains(substitution)))
            {
                fromEnvironment[substitution] = UnsetListElement;
                placeholders.Add(substitution);
                if (substitution.IsOptional)
                {
                    unsetInList.Add(substitution);
                }
            }
            else if (substitution.IsOptional || leftOut.Contains(substitution))
            {
                unset.Add(substitution);
            }
            else if (IsSelfReference(text, substitution))
            {
                // Akka's parser overflows its stack on a field that refers to itself.
                var fix = IsVariableName(substitution.Path) ? "Set the environment variable, or write" : "Write";
                return (null,
                    $"line {substitution.Line}: ${{{substitution.Path}}} refers to its own field, which the node's HOCON parser " +
                    $"cannot resolve. {fix} ${{?{substitution.Path}}} to keep the field's earlier value.",
                    null);
            }
        }

        // As in HOCON, a path that the file sets refers to the file's value, even where the environment or nothing else
        // sets it. The first parse shows which paths the file sets; a second one then resolves those from the file.
        var problem = Rewrite(text, fromEnvironment, unset, out var firstText)
            ?? FindCycle(substitutions.Where(s => !fromEnvironment.ContainsKey(s) && !unset.Contains(s)).ToList());
        if (problem is not null)
        {
            return (null, problem, null);
        }

        Config config;
        try
        {
            config = ParseMasked(firstText, text, fromEnvironment, unset);
            // A field that substitutes its own name, such as PORT = ${?PORT}, keeps the environment's value or its
            // earlier one, because a reference to itself would overflow the parser's stack.
            var setByFile = fromEnvironment.Keys.Concat(unset)
                .Where(s => !IsSelfReference(text, s) && config.HasPath(s.Path))
                .ToList();
            unsetInList.RemoveAll(setByFile.Contains);
            if (setByFile.Count == 0)
            {
                return Parsed(config);
            }

            foreach (var substitution in setByFile)
            {
                fromEnvironment.Remove(substitution);
                unset.Remove(substitution);
            }

            Rewrite(text, fromEnvironment, unset, out var secondText);
            if (FindCycle(substitutions.Where(s => !fromEnvironment.ContainsKey(s) && !unset.Contains(s)).ToList()) is { } cycle)
            {
                return (null, cycle, null);
            }

            config = ParseMasked(secondText, text, fromEnvironment, unset);
        }
        catch (FormatException exception) when (Unresolved(exception, substitutions, leftOut) is { } missing)
        {
            return (null, UnsetProblem(text, missing), missing);
        }

        return Parsed(config);

        (Config? Config, string? Problem, HoconSubstitution? Missing) Parsed(Config parsed)
        {
            if (unsetInList.Count > 0)
            {
                return (null, null, null);
            }

            foreach (var (substitution, value) in fromEnvironment)
            {
                if (!placeholders.Contains(substitution))
                {
                    usedValues?.Add(value);
                }
            }

            return (parsed, null, null);
        }
    }

    /// <summary>
    /// Returns the substitution that Akka's parser reported as unresolved, if the message names one: the first required
    /// one of that path that was not left out.
    /// </summary>
    private static HoconSubstitution? Unresolved(
        FormatException exception, List<HoconSubstitution> substitutions, HashSet<HoconSubstitution> leftOut)
    {
        const string Prefix = "Unresolved substitution: ";
        var index = exception.Message.IndexOf(Prefix, StringComparison.Ordinal);
        if (index < 0)
        {
            return null;
        }

        var path = exception.Message[(index + Prefix.Length)..].Trim();
        return substitutions.FirstOrDefault(s => s.Path == path && !s.IsOptional && !leftOut.Contains(s));
    }

    private static string InListProblem(HoconSubstitution substitution) =>
        $"line {substitution.Line}: ${{?{substitution.Path}}} is in a list, and neither this file nor the environment sets " +
        "it; an unset optional substitution is supported only in a field's value. " +
        (IsVariableName(substitution.Path)
            ? $"Set the environment variable {substitution.Path} or write the list's elements."
            : "Set the value in this file, because only names of letters, digits and underscores are read from the " +
                "environment, or write the list's elements.");

    private static string UnsetProblem(string text, HoconSubstitution substitution)
    {
        // An unset optional substitution is an error in a list, and adds nothing to a concatenation.
        var fixes = substitution.InList
            ? $" It is a list element, which ${{?{substitution.Path}}} cannot leave out, so write the element's value " +
                "in its place."
            : WholeFieldValue(text, substitution) is not null
                ? $" Or write ${{?{substitution.Path}}} to leave the field unset."
                : IsWholeValue(text, substitution.Start, substitution.End)
                    ? $" Or write the key and ${{?{substitution.Path}}} on one line to leave the field unset."
                    : $" Or write ${{?{substitution.Path}}}, which adds nothing to the text when the variable is not set.";
        return IsVariableName(substitution.Path)
            ? $"line {substitution.Line}: ${{{substitution.Path}}} is not set: neither this file nor the environment sets " +
                $"'{substitution.Path}'. Set the environment variable or set the value in the file.{fixes}"
            : $"line {substitution.Line}: ${{{substitution.Path}}} is not set in this file, and only names of letters, digits " +
                "and underscores are read from the environment. Set the value in this file, because a substitution cannot " +
                $"refer to another file.{fixes}";
    }

    /// <summary>Parses the rewritten text, and on a syntax error reports it from a copy whose variable values are masked.</summary>
    private static Config ParseMasked(
        string rewritten, string original, Dictionary<HoconSubstitution, string> fromEnvironment, List<HoconSubstitution> unset)
    {
        try
        {
            return ConfigurationFactory.ParseString(rewritten);
        }
        catch (Exception exception) when (exception is FormatException or Akka.Configuration.ConfigurationException)
        {
            // The parser's message can quote the text near the error, which may contain a variable's value, so the
            // message comes from the same text with every value replaced by asterisks.
            var masked = fromEnvironment.ToDictionary(pair => pair.Key, _ => "***");
            Rewrite(original, masked, unset, out var maskedText);
            ConfigurationFactory.ParseString(maskedText);
            throw new FormatException("the text is not valid HOCON once environment variables are substituted.");
        }
    }

    /// <summary>
    /// Replaces each substitution from the environment with its value as a quoted string, and each unset optional one
    /// with nothing, keeping every line where it was so that the parser's line numbers stay right.
    /// </summary>
    private static string? Rewrite(
        string text, Dictionary<HoconSubstitution, string> fromEnvironment, List<HoconSubstitution> unset, out string rewritten)
    {
        var builder = new StringBuilder(text.Length);
        var position = 0;
        var scanned = HoconScanner.Scan(text, out _);
        foreach (var substitution in scanned)
        {
            if (substitution.Start < position)
            {
                // Left out with the field of an earlier substitution.
                continue;
            }

            string replacement;
            var start = substitution.Start;
            var end = substitution.End;
            if (fromEnvironment.TryGetValue(substitution, out var value))
            {
                // An empty value within a concatenation is left out, because "" beside another quoted string would
                // make three quotes in a row, which HOCON reads as the start of a multi-line string.
                replacement = value.Length > 0 || WholeFieldValue(text, substitution) is not null
                        || IsWholeValue(text, substitution.Start, substitution.End)
                    ? JsonSerializer.Serialize(value, QuotedValueOptions)
                    : string.Empty;
            }
            else if (unset.Contains(substitution))
            {
                if (substitution.InList)
                {
                    rewritten = text;
                    return InListProblem(substitution);
                }

                // The run is this substitution and the unset ones right after it, with only spaces between them.
                var runEnd = EndOfUnsetRun(text, substitution, scanned, unset);
                if (WholeField(text, substitution.Start, runEnd) is { } whole)
                {
                    // The field is left out, so an earlier file's or the defaults' value stays in force.
                    (start, end) = whole;
                    replacement = new string(' ', end - start);
                }
                else if (IsWholeValue(text, substitution.Start, runEnd))
                {
                    // Nothing in its place would make the parser take the next line as the field's value.
                    rewritten = text;
                    return $"line {substitution.Line}: ${{?{substitution.Path}}} is the whole value of its field and nothing " +
                        "sets it, but the node can leave a field out only when its key and value stand on one line. Write " +
                        $"them on one line, such as key = ${{?{substitution.Path}}}, or set the variable.";
                }
                else
                {
                    replacement = string.Empty;
                }
            }
            else if (substitution.IsOptional)
            {
                replacement = "${" + substitution.Path + "}";
            }
            else
            {
                continue;
            }

            if (FormsTripleQuote(text, start, end, replacement))
            {
                rewritten = text;
                return $"line {substitution.Line}: ${{{(substitution.IsOptional ? "?" : string.Empty)}{substitution.Path}}} stands next to an " +
                    "empty string \"\", and the quotes around it would run together into \"\"\", which starts a multi-line string; " +
                    "remove the empty string.";
            }

            builder.Append(text, position, start - position).Append(replacement);
            position = end;
        }

        builder.Append(text, position, text.Length - position);
        rewritten = builder.ToString();
        return null;
    }

    /// <summary>Returns true when putting the replacement between the text's two parts would make three quotes in a row.</summary>
    private static bool FormsTripleQuote(string text, int start, int end, string replacement)
    {
        var quotesBefore = 0;
        while (start - quotesBefore > 0 && text[start - quotesBefore - 1] == '"')
        {
            quotesBefore++;
        }

        var quotesAfter = 0;
        while (end + quotesAfter < text.Length && text[end + quotesAfter] == '"')
        {
            quotesAfter++;
        }

        // A quoted replacement begins and ends with one quote of its own; an empty one joins the two sides.
        return replacement.StartsWith('"')
            ? quotesBefore >= 2 || quotesAfter >= 2
            : replacement.Length == 0 && quotesBefore > 0 && quotesAfter > 0 && quotesBefore + quotesAfter >= 3;
    }

    /// <summary>
    /// Returns the span from the start of the field's key to the end of the substitution when the substitution is the
    /// whole value of a field on one line, such as <c>port = ${?PORT}</c>, including a comma that follows it.
    /// </summary>
    private static (int Start, int End)? WholeFieldValue(string text, HoconSubstitution substitution) =>
        WholeField(text, substitution.Start, substitution.End);

    /// <summary>
    /// Returns the span from the start of the field's key to the end of the value, including a comma that follows it,
    /// when the text from <paramref name="start"/> to <paramref name="end"/> is the whole value of a field on one line.
    /// An unset run such as <c>tags = ${?A} ${?B}</c> is left out through this span like one unset substitution,
    /// because empty text in its place would make the next line the field's value.
    /// </summary>
    private static (int Start, int End)? WholeField(string text, int start, int end)
    {
        var lineStart = HoconScanner.LineStart(text, start);
        var key = FieldKeyPattern().Match(text[lineStart..start]);
        if (!key.Success)
        {
            return null;
        }

        var lineEnd = text.IndexOf('\n', end);
        var rest = FieldEndPattern().Match(text[end..(lineEnd < 0 ? text.Length : lineEnd)]);
        if (!rest.Success)
        {
            return null;
        }

        return (lineStart + key.Groups["key"].Index, end + rest.Groups["comma"].Index + rest.Groups["comma"].Length);
    }

    /// <summary>
    /// Returns true when the text from <paramref name="start"/> to <paramref name="end"/> is a field's whole value: an
    /// <c>=</c> or <c>:</c> comes before it, with only white space between, and the line ends after it.
    /// </summary>
    private static bool IsWholeValue(string text, int start, int end)
    {
        var before = start - 1;
        while (before >= 0 && char.IsWhiteSpace(text[before]))
        {
            before--;
        }

        if (before < 0 || text[before] is not ('=' or ':'))
        {
            return false;
        }

        var lineEnd = text.IndexOf('\n', end);
        return FieldEndPattern().IsMatch(text[end..(lineEnd < 0 ? text.Length : lineEnd)]);
    }

    /// <summary>Returns the end of the unset substitutions that follow this one with only spaces between them.</summary>
    private static int EndOfUnsetRun(
        string text, HoconSubstitution substitution, List<HoconSubstitution> scanned, List<HoconSubstitution> unset)
    {
        var end = substitution.End;
        for (var index = scanned.IndexOf(substitution) + 1; index < scanned.Count; index++)
        {
            var gap = end;
            while (gap < text.Length && text[gap] is ' ' or '\t')
            {
                gap++;
            }

            var next = scanned[index];
            if (next.Start != gap || !unset.Contains(next))
            {
                break;
            }

            end = next.End;
        }

        return end;
    }

    private static readonly JsonSerializerOptions QuotedValueOptions = new()
    {
        // HOCON's quoted strings are JSON strings, and only JSON's own escapes are needed in them.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static bool IsVariableName(string path) => VariableNamePattern().IsMatch(path);

    /// <summary>
    /// Returns a problem when the substitutions that stay in the text form a cycle, such as <c>a = ${b}</c> and
    /// <c>b = ${a}</c>, on which Akka's parser overflows its stack. A substitution depends on another when its path
    /// is the other's field, or an object around it, or a field inside it.
    /// </summary>
    /// <remarks>
    /// NOTE: a cycle through a list, or through an object whose key is not on its brace's line, is not found, and Akka's
    /// parser overflows its stack on it.
    /// </remarks>
    private static string? FindCycle(List<HoconSubstitution> references)
    {
        static bool Related(string path, string fieldPath) =>
            path == fieldPath || fieldPath.StartsWith(path + ".", StringComparison.Ordinal) || path.StartsWith(fieldPath + ".", StringComparison.Ordinal);

        var known = references.Where(r => r.FieldPath is not null).ToList();
        var state = new Dictionary<HoconSubstitution, int>();
        var trail = new List<HoconSubstitution>();

        string? Visit(HoconSubstitution reference)
        {
            state[reference] = 1;
            trail.Add(reference);
            foreach (var next in known.Where(other => Related(reference.Path, other.FieldPath!)))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var cycle = trail.SkipWhile(r => r != next).Append(next).Select(r => $"${{{r.Path}}} on line {r.Line}");
                    return $"line {next.Line}: the substitutions {string.Join(" -> ", cycle)} form a cycle, which the node's " +
                        "HOCON parser cannot resolve; break the cycle.";
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            state[reference] = 2;
            trail.RemoveAt(trail.Count - 1);
            return null;
        }

        foreach (var reference in known)
        {
            if (state.GetValueOrDefault(reference) == 0 && Visit(reference) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Returns true when the substitution's path is the key of the field it is in, such as <c>PORT = ${?PORT}</c>.</summary>
    /// <remarks>The field's full path is compared when it is known, and otherwise the key on the substitution's own line.</remarks>
    private static bool IsSelfReference(string text, HoconSubstitution substitution)
    {
        return substitution.FieldPath == substitution.Path || HoconScanner.FieldKey(text, substitution.Start) == substitution.Path;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableNamePattern();

    // The start of the line or of an object's field, then a key of dot-separated parts, each quoted or not, then = or :,
    // then the substitution.
    [GeneratedRegex(@"^(.*[{,])?\s*(?<key>(""[^""\n]*""|[A-Za-z0-9_\-]+)(\.(""[^""\n]*""|[A-Za-z0-9_\-]+))*\s*[=:]\s*)$")]
    private static partial Regex FieldKeyPattern();

    // After the substitution, a comma that ends the field, or the end of the line, a comment or the object's brace.
    [GeneratedRegex(@"^(\s*(?<comma>,)|\s*(?=$|#|//|\}))")]
    private static partial Regex FieldEndPattern();
}
