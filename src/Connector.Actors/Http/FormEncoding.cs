using System.Text;

namespace Connector.Actors.Http;

/// <summary>
/// Encodes text for URLs: form encoding for query strings (space becomes <c>+</c>) and percent-encoding for path
/// segments, so that no value from a row can add a path segment, a parameter or a fragment.
/// </summary>
internal static class FormEncoding
{
    /// <summary>Form-encodes a query name or value: A-Z a-z 0-9 - _ . * stay, space becomes +, other bytes %XX.</summary>
    public static void AppendQueryComponent(StringBuilder builder, string text)
    {
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                var c = (char)rune.Value;
                if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*')
                {
                    builder.Append(c);
                    continue;
                }

                if (c == ' ')
                {
                    builder.Append('+');
                    continue;
                }
            }

            var length = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < length; i++)
            {
                builder.Append('%').Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Percent-encodes a path segment value: everything but RFC 3986 unreserved characters is escaped.</summary>
    /// <remarks>
    /// NOTE: the dot segments <c>.</c> and <c>..</c> become <c>%2E</c> and <c>%2E%2E</c>, but System.Uri decodes these and
    /// removes the segments, so callers must reject such values, as the lookup request factory does.
    /// </remarks>
    public static string EncodePathSegment(string text) => text switch
    {
        "." => "%2E",
        ".." => "%2E%2E",
        _ => Uri.EscapeDataString(text),
    };
}
