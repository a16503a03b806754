using System.Text.RegularExpressions;

namespace Connector.Node.Configuration;

/// <summary>
/// Reads the structure of a HOCON file that matters before Akka's parser (Akka.NET 1.5) reads it: where quoted strings,
/// comments, objects and lists start and end, and where each substitution is. It reports the mistakes on which that
/// parser misreads a file, loops or runs out of memory.
/// </summary>
internal static partial class HoconScanner
{
    /// <summary>
    /// Finds every substitution outside quoted strings and comments, in file order, and the first mistake that Akka's
    /// parser misreads or never returns from: a string or bracket that is not closed, a second <c>=</c> or <c>:</c> in
    /// one field, an append with <c>+=</c>, or a field or an unquoted special character directly in a list.
    /// </summary>
    public static List<HoconSubstitution> Scan(string text, out string? problem)
    {
        problem = null;
        var found = new List<HoconSubstitution>();
        var brackets = new Stack<(char Bracket, int Line, bool OuterHasSeparator, string? Key)>();

        // Whether the field being read at the current level already has its = or :.
        var hasSeparator = false;
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
                hasSeparator = false;
            }
            else if (c == ',')
            {
                hasSeparator = false;
                i++;
            }
            else if (c == '+' && i + 1 < text.Length && text[i + 1] == '=')
            {
                // Akka's parser reads a += x as a field named "a +", so the list that was meant to grow stays as it was.
                problem = $"line {line}: '+=' appends to a list in HOCON, but the node's HOCON parser reads it as part of " +
                    "the key; write the whole list in one field, such as hosts = [ a, b ].";
                return found;
            }
            else if (c is '=' or ':')
            {
                if (brackets.TryPeek(out var list) && list.Bracket == '[')
                {
                    // Akka's parser loops without end on a field inside a list.
                    problem = $"line {line}: '{c}' stands directly in the list opened on line {list.Line}, where only values " +
                        "may stand; put an object's fields in braces, such as [ { table = customers } ], or quote the value.";
                    return found;
                }

                if (hasSeparator)
                {
                    // Akka's parser drops the rest of the file after a second separator in one field.
                    problem = $"line {line}: a second '{c}' in one field; quote a value that contains '=' or ':', or put " +
                        "each field on its own line.";
                    return found;
                }

                hasSeparator = true;
                i++;
            }
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
            {
                var close = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                if (close < 0)
                {
                    problem = $"line {line}: the multi-line string that starts with \"\"\" is not closed; end it with \"\"\".";
                    return found;
                }

                var stop = close + 3;

                // A triple-quoted string may end in more quotes, which belong to it.
                while (stop < text.Length && text[stop] == '"')
                {
                    stop++;
                }

                line += text.AsSpan(i, stop - i).Count('\n');
                i = stop;
            }
            else if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"' && text[i] != '\n')
                {
                    i += text[i] == '\\' && i + 1 < text.Length && text[i + 1] != '\n' ? 2 : 1;
                }

                if (i >= text.Length || text[i] != '"')
                {
                    problem = $"line {line}: a quoted string is not closed; add the closing \" on the same line, or use \"\"\" for text over several lines.";
                    return found;
                }

                i++;
            }
            else if (c is '{' or '[')
            {
                brackets.Push((c, line, hasSeparator, c == '{' ? ObjectKey(text, i) : null));
                hasSeparator = false;
                i++;
            }
            else if (c is '}' or ']')
            {
                var opening = c == '}' ? '{' : '[';
                if (!brackets.TryPop(out var open))
                {
                    problem = $"line {line}: '{c}' closes no '{opening}'; remove it or add the missing '{opening}'.";
                    return found;
                }

                if (open.Bracket != opening)
                {
                    var expected = open.Bracket == '{' ? '}' : ']';
                    problem = $"line {line}: '{c}' comes before the '{open.Bracket}' opened on line {open.Line} is closed; add the missing '{expected}'.";
                    return found;
                }

                hasSeparator = open.OuterHasSeparator;
                i++;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    break;
                }

                var optional = text[i + 2] == '?';
                var path = text[(i + (optional ? 3 : 2))..close].Trim();
                var inList = brackets.TryPeek(out var open) && open.Bracket == '[';
                found.Add(new HoconSubstitution(i, close + 1, line, path, optional, inList, FieldPath(text, i, brackets.Select(b => b.Key))));
                i = close + 1;
            }
            else if (c is '?' or '$' or '!' or '@' or '*' or '&' or '^' or '`' && brackets.TryPeek(out var list) && list.Bracket == '[')
            {
                // Akka's parser loops without end on these characters unquoted in a list.
                problem = $"line {line}: '{c}' cannot stand unquoted in a list; quote the value.";
                return found;
            }
            else
            {
                i++;
            }
        }

        if (brackets.TryPeek(out var unclosed))
        {
            var closing = unclosed.Bracket == '{' ? '}' : ']';
            problem = $"line {unclosed.Line}: the '{unclosed.Bracket}' opened here is not closed; add the missing '{closing}'.";
        }

        return found;
    }

    /// <summary>Returns the key of the object whose brace is at <paramref name="brace"/>, or null when the line names none.</summary>
    private static string? ObjectKey(string text, int brace)
    {
        var key = ObjectKeyPattern().Match(text[LineStart(text, brace)..brace]);
        return key.Success ? key.Groups["key"].Value.Trim('"') : null;
    }

    /// <summary>
    /// Returns the full path of the field that the substitution at <paramref name="start"/> is in, from the keys of the
    /// enclosing objects, innermost first, or null when one of them is a list or an unnamed object.
    /// </summary>
    private static string? FieldPath(string text, int start, IEnumerable<string?> objectKeys)
    {
        var field = FieldKey(text, start);
        if (field is null)
        {
            return null;
        }

        var keys = objectKeys.Reverse().ToList();
        return keys.Any(key => key is null) ? null : string.Join('.', keys.Append(field));
    }

    /// <summary>Returns the key of the field whose value contains <paramref name="start"/>, when it is on the same line.</summary>
    public static string? FieldKey(string text, int start)
    {
        var field = FieldKeyPrefixPattern().Match(text[LineStart(text, start)..start]);
        return field.Success ? field.Groups["key"].Value.Trim('"') : null;
    }

    /// <summary>Returns the index of the first character of the line that contains <paramref name="index"/>.</summary>
    public static int LineStart(string text, int index) => index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

    // The start of the line or of an object's field, then a key, quoted or not, then = or :, then anything.
    [GeneratedRegex(@"^(.*[{,])?\s*(?<key>(""[^""\n]*""|[A-Za-z0-9_.\-]+))\s*[=:]")]
    private static partial Regex FieldKeyPrefixPattern();

    // A key, quoted or not, and an optional = or :, at the end of the text before an object's brace.
    [GeneratedRegex(@"(?<key>""[^""\n]*""|[A-Za-z0-9_.\-]+)\s*[=:]?\s*$")]
    private static partial Regex ObjectKeyPattern();
}

/// <summary>
/// One <c>${path}</c> or <c>${?path}</c> in the text: where it is, its path, whether it sits in a list, and the full
/// path of the field it is in, or null when a list or an unnamed object is on the way.
/// </summary>
internal sealed record HoconSubstitution(int Start, int End, int Line, string Path, bool IsOptional, bool InList, string? FieldPath);
