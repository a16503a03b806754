namespace Connector.Actors.Options;

/// <summary>Recognises option and header names whose values are credentials, so that they are never shown.</summary>
/// <remarks>
/// Names are compared after normalization: lower case, with <c>_</c>, <c>-</c> and <c>.</c> removed, so that
/// <c>X-Api_Key</c>, <c>x-api-key</c> and <c>XAPIKEY</c> match alike.
/// </remarks>
public static class SecretNames
{
    private static readonly string[] SecretHeaders = ["authorization", "proxyauthorization", "cookie", "setcookie"];

    // A header whose normalized name contains one of these words is a credential. Header names are chosen by the
    // API, and a false match only shows an ordinary header value as ***.
    private static readonly string[] SecretHeaderWords =
        ["key", "token", "secret", "pass", "pwd", "auth", "cookie", "session", "signature", "credential", "jwt", "assertion", "bearer"];

    // Query parameter names that are credentials on their own. Short names such as "key", "sig" or "code" are
    // matched exactly, because as parts of longer names they are mostly ordinary parameters (sortkey, zipcode).
    private static readonly HashSet<string> SecretParameters = new(StringComparer.Ordinal)
    {
        "key", "apikey", "token", "accesstoken", "idtoken", "refreshtoken", "authtoken", "secret", "clientsecret",
        "password", "passwd", "pwd", "pass", "passphrase", "session", "sessionid", "sid", "signature", "sig", "auth",
        "authorization", "proxyauthorization", "cookie", "credential", "credentials", "code", "jwt", "assertion",
        "bearer",
    };

    // A query parameter whose normalized name contains one of these words is a credential. "auth" is left out
    // because it is part of ordinary names such as author.
    private static readonly string[] SecretParameterWords =
    [
        "apikey", "accesskey", "privatekey", "subscriptionkey", "appkey", "authkey", "sessionkey", "secretkey",
        "masterkey", "clientkey", "token", "secret", "password", "passwd", "passphrase", "pwd", "sessionid", "sessid",
        "signature", "credential", "jwt", "assertion",
    ];

    /// <summary>True when a header's value must be redacted.</summary>
    public static bool IsSecretHeader(string headerName)
    {
        var name = Normalize(headerName);
        return SecretHeaders.Contains(name) || SecretHeaderWords.Any(word => name.Contains(word, StringComparison.Ordinal));
    }

    /// <summary>True when the value of a URL query parameter must be redacted.</summary>
    public static bool IsSecretQueryParameter(string parameterName)
    {
        var name = Normalize(parameterName);
        return SecretParameters.Contains(name) || SecretParameterWords.Any(word => name.Contains(word, StringComparison.Ordinal));
    }

    /// <summary>True when an option's value must be redacted, including header options for secret headers.</summary>
    public static bool IsSecretOption(string optionName)
    {
        var lastDot = optionName.LastIndexOf('.');
        if (optionName.Contains(".header.", StringComparison.Ordinal) && lastDot >= 0)
        {
            var header = optionName[(optionName.IndexOf(".header.", StringComparison.Ordinal) + 8)..];
            return IsSecretHeader(header);
        }

        return optionName.EndsWith(".password", StringComparison.OrdinalIgnoreCase) ||
            optionName.Equals(CommonOptions.OidcTokenRequest, StringComparison.Ordinal);
    }

    /// <summary>Returns the name in lower case without the separators <c>_</c>, <c>-</c> and <c>.</c>.</summary>
    private static string Normalize(string name)
    {
        var normalized = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is not ('_' or '-' or '.'))
            {
                normalized.Append(char.ToLowerInvariant(c));
            }
        }

        return normalized.ToString();
    }
}
