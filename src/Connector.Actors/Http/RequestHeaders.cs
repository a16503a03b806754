using System.Text;
using Connector.Actors.Options;

namespace Connector.Actors.Http;

/// <summary>
/// The static headers a table adds to every request, after the Basic rule: an <c>Authorization</c> value that does
/// not start with <c>Basic </c> is sent as <c>Basic</c> with the value Base64-encoded, unless raw values are requested.
/// </summary>
internal sealed class RequestHeaders
{
    private readonly KeyValuePair<string, string>[] _requestHeaders;
    private readonly KeyValuePair<string, string>[] _contentHeaders;

    private RequestHeaders(KeyValuePair<string, string>[] requestHeaders, KeyValuePair<string, string>[] contentHeaders)
    {
        _requestHeaders = requestHeaders;
        _contentHeaders = contentHeaders;
    }

    /// <summary>Headers with no entries.</summary>
    public static RequestHeaders Empty { get; } = new([], []);

    /// <summary>True when a Content-Type header is configured, so bodies keep it instead of application/json.</summary>
    public bool HasContentType => _contentHeaders.Any(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when an Authorization header is configured.</summary>
    public bool HasAuthorization =>
        _requestHeaders.Any(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));

    /// <summary>The header names, for logs that must not show values.</summary>
    public IEnumerable<string> Names => _requestHeaders.Concat(_contentHeaders).Select(h => h.Key);

    /// <summary>Reads header options, validating names and values; problems go to the reader.</summary>
    public static RequestHeaders Create(OptionReader reader, string prefix, bool rawAuthorization)
    {
        var requestHeaders = new List<KeyValuePair<string, string>>();
        var contentHeaders = new List<KeyValuePair<string, string>>();
        using var probe = new HttpRequestMessage();
        using var probeContent = new ByteArrayContent([]);
        foreach (var (name, configured) in reader.GetFamily(prefix))
        {
            var option = prefix + name;
            if (configured.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                reader.AddProblem(option, "header values must not contain CR or LF characters, which would inject headers; remove the line break.");
                continue;
            }

            if (!IsToken(name))
            {
                reader.AddProblem(option, $"invalid header name '{name}'; a header name is letters, digits and !#$%&'*+-.^_`|~ only.");
                continue;
            }

            var value = name == "Authorization" ? EncodeAuthorization(configured, rawAuthorization) : configured;
            if (FindInvalidCharacter(value) is { } invalid)
            {
                reader.AddProblem(option, InvalidValueMessage(reader, option, value, invalid));
                continue;
            }

            if (probe.Headers.TryAddWithoutValidation(name, value))
            {
                requestHeaders.Add(new(name, value));
            }
            else if (probeContent.Headers.TryAddWithoutValidation(name, value))
            {
                contentHeaders.Add(new(name, value));
            }
            else
            {
                reader.AddProblem(option, $"header '{name}' cannot be set on a request.");
            }
        }

        return new RequestHeaders(requestHeaders.ToArray(), contentHeaders.ToArray());
    }

    /// <summary>Applies the Basic rule to a configured Authorization value.</summary>
    public static string EncodeAuthorization(string value, bool raw)
    {
        if (raw || value.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return value;
        }

        return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Adds the headers to a request; content headers go on the body when there is one.</summary>
    /// <param name="request">The request.</param>
    /// <param name="authorizationOverride">A bearer value that replaces any configured Authorization header.</param>
    public void Apply(HttpRequestMessage request, string? authorizationOverride)
    {
        foreach (var (name, value) in _requestHeaders)
        {
            if (authorizationOverride is not null && name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (authorizationOverride is not null)
        {
            // The value is added without parsing, because a parse error quotes the value, and it is a credential.
            if (FindInvalidCharacter(authorizationOverride) is not null)
            {
                throw new InvalidOperationException(
                    "The Authorization value from the token provider contains a character that a header value cannot " +
                    "carry, so the request was not sent. The value is not shown because it is a credential.");
            }

            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", authorizationOverride);
        }

        if (request.Content is null)
        {
            return;
        }

        foreach (var (name, value) in _contentHeaders)
        {
            request.Content.Headers.Remove(name);
            request.Content.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>
    /// Returns the position of the first character that a header value cannot carry, or null when there is none.
    /// SocketsHttpHandler sends only ASCII by default, and RFC 9110 allows no control characters except tab, so the
    /// allowed characters are space to '~' and tab.
    /// </summary>
    public static int? FindInvalidCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is not ((>= ' ' and <= '~') or '\t'))
            {
                return i;
            }
        }

        return null;
    }

    private static string InvalidValueMessage(OptionReader reader, string option, string value, int position)
    {
        var character = value[position];
        var kind = char.IsControl(character) ? "a control character" : "a non-ASCII character";
        const string Allowed = "a header value may contain only printable ASCII characters (space to '~') and tabs; " +
            "encode or remove the other characters.";
        if (reader.IsSecret(option))
        {
            return $"invalid header value (hidden because the header is a credential): it contains {kind}; {Allowed}";
        }

        return $"invalid header value '{EscapeControlCharacters(value)}': it contains {kind}, U+{(int)character:X4}, " +
            $"at position {position + 1}; {Allowed}";
    }

    private static string EscapeControlCharacters(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
