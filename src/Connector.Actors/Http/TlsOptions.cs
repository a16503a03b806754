namespace Connector.Actors.Http;

/// <summary>
/// TLS settings of the HTTP client, with the values of the Flink HTTP connector's <c>http.security.*</c> options.
/// </summary>
/// <param name="ServerCertificatePaths">
/// PEM or DER certificate files that are trusted in addition to the system CAs (<c>http.security.cert.server</c>).
/// </param>
/// <param name="AllowSelfSigned">
/// Whether any server certificate is accepted, without chain or hostname checks
/// (<c>http.security.cert.server.allowSelfSigned</c>).
/// </param>
/// <param name="ClientCertificatePath">
/// PEM or DER client certificate file for mutual TLS (<c>http.security.cert.client</c>).
/// </param>
/// <param name="ClientKeyPath">
/// Unencrypted private key file of the client certificate (<c>http.security.key.client</c>).
/// </param>
internal sealed record TlsOptions(
    IReadOnlyList<string> ServerCertificatePaths,
    bool AllowSelfSigned,
    string? ClientCertificatePath,
    string? ClientKeyPath)
{
    /// <summary>Option name of the comma-separated list of trusted server certificate files.</summary>
    public const string ServerCertificatesOption = "http.security.cert.server";

    /// <summary>Option name of the flag that turns off server certificate checks.</summary>
    public const string AllowSelfSignedOption = "http.security.cert.server.allowSelfSigned";

    /// <summary>Option name of the client certificate file.</summary>
    public const string ClientCertificateOption = "http.security.cert.client";

    /// <summary>Option name of the client private key file.</summary>
    public const string ClientKeyOption = "http.security.key.client";

    /// <summary>Options that leave the handler's default TLS settings unchanged.</summary>
    public static TlsOptions None { get; } = new([], false, null, null);

    /// <summary>
    /// Splits a comma-separated <c>http.security.cert.server</c> value into paths.
    /// Items are trimmed, and blank items are skipped.
    /// </summary>
    public static IReadOnlyList<string> SplitPaths(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        return value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}
