using Connector.Actors.Options;

namespace Connector.Actors.Http;

/// <summary>Removes credentials from URLs before they reach logs or error messages.</summary>
public static class UrlRedaction
{
    /// <summary>
    /// Returns the URL without user information, with the values of query parameters whose names suggest credentials
    /// (see <see cref="SecretNames.IsSecretQueryParameter"/>) and any fragment replaced by <c>***</c>. A URL whose
    /// scheme is neither http nor https is cut to its scheme, host and port.
    /// </summary>
    public static string Redact(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);

        if (!uri.IsAbsoluteUri)
        {
            return uri.OriginalString;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            // Some other schemes, ftp among them, keep '?' and what follows in the path, where no query parameter
            // can be found and redacted, so only the scheme, host and port are kept.
            return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
        }

        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
        if (builder.Query.Length > 1)
        {
            var parts = builder.Query.TrimStart('?').Split('&');
            for (var i = 0; i < parts.Length; i++)
            {
                var equals = parts[i].IndexOf('=');
                var name = equals < 0 ? parts[i] : parts[i][..equals];
                if (equals >= 0 && SecretNames.IsSecretQueryParameter(Uri.UnescapeDataString(name)))
                {
                    parts[i] = name + "=***";
                }
            }

            builder.Query = string.Join("&", parts);
        }

        // A fragment can carry tokens, as in the OAuth implicit flow (#access_token=...), and is never sent to the server.
        if (builder.Fragment.Length > 1)
        {
            builder.Fragment = "***";
        }

        return builder.Uri.AbsoluteUri;
    }

    /// <summary>Returns a URL string with credentials removed, or a placeholder when it is not a valid URL.</summary>
    /// <remarks>
    /// Text that is not an http or https URL keeps its scheme, host and path, so a message can show what was written,
    /// but loses any user information and everything from the query on.
    /// </remarks>
    public static string Redact(string url)
    {
        ArgumentNullException.ThrowIfNull(url);

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return Redact(uri);
        }

        var text = UserInformation.Replace(url, "//");
        var query = text.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? text : text[..query] + "?...";
    }

    private static readonly System.Text.RegularExpressions.Regex UserInformation = new(@"//[^/?#@\s]*@", System.Text.RegularExpressions.RegexOptions.Compiled);
}
