namespace Connector.Actors.Http;

/// <summary>Short text from UTF-8 bytes for error messages, cut between whole characters.</summary>
internal static class TextExcerpt
{
    /// <summary>Returns the first <paramref name="maxChars"/> characters of the text, followed by "..." when it is longer.</summary>
    public static string FromUtf8(ReadOnlySpan<byte> utf8, int maxChars)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        // A character takes at most 4 bytes, so these bytes hold at least maxChars characters, and a character that
        // the byte cut splits lies past them.
        var text = System.Text.Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, maxChars * 4)]);
        return text.Length <= maxChars ? text : text[..maxChars] + "...";
    }
}
