namespace Connector.Actors.Options;

/// <summary>Recognises option and header names whose values are credentials, so that they are never shown.</summary>
public static class SecretNames
{
    private static readonly string[] SecretHeaders =
        ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "Api-Key", "X-Auth-Token"];

    private static readonly string[] SecretWords = ["password", "secret", "token", "apikey", "api-key", "credential"];

    /// <summary>True when a header's value must be redacted.</summary>
    public static bool IsSecretHeader(string headerName) =>
        SecretHeaders.Contains(headerName, StringComparer.OrdinalIgnoreCase) ||
        SecretWords.Any(word => headerName.Contains(word, StringComparison.OrdinalIgnoreCase));

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
}
