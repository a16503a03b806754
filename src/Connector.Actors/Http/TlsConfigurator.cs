using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Connector.Actors.Http;

/// <summary>
/// Validation of <see cref="TlsOptions"/> and their application to a <see cref="SocketsHttpHandler"/>.
/// </summary>
internal static class TlsConfigurator
{
    /// <summary>
    /// Checks every file named in <paramref name="options"/> and returns all problems found, or an empty list.
    /// </summary>
    /// <remarks>
    /// The checks cover missing or unreadable files, files that are not certificates or supported keys,
    /// encrypted keys, a client certificate without a key or a key without a certificate,
    /// and a key that does not match the client certificate. Messages never contain key material.
    /// </remarks>
    public static IReadOnlyList<TlsProblem> Validate(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var problems = new List<TlsProblem>();
        foreach (string path in options.ServerCertificatePaths)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                continue;
            }

            DisposeAll(TryLoad(TlsOptions.ServerCertificatesOption, path, ReadCertificates, problems));
        }

        string? certificatePath = NullIfBlank(options.ClientCertificatePath);
        string? keyPath = NullIfBlank(options.ClientKeyPath);
        if (certificatePath is not null && keyPath is null)
        {
            problems.Add(new TlsProblem(
                TlsOptions.ClientCertificateOption,
                certificatePath,
                $"{TlsOptions.ClientKeyOption} is not set, but a client certificate needs its private key. "
                + $"Set {TlsOptions.ClientKeyOption} to the key file."));
        }

        if (keyPath is not null && certificatePath is null)
        {
            problems.Add(new TlsProblem(
                TlsOptions.ClientKeyOption,
                keyPath,
                $"{TlsOptions.ClientCertificateOption} is not set, but a client private key needs its certificate. "
                + $"Set {TlsOptions.ClientCertificateOption} to the certificate file."));
        }

        X509Certificate2Collection? clientCertificates = certificatePath is null
            ? null
            : TryLoad(TlsOptions.ClientCertificateOption, certificatePath, ReadCertificates, problems);
        using AsymmetricAlgorithm? key = keyPath is null
            ? null
            : TryLoad(TlsOptions.ClientKeyOption, keyPath, PrivateKeyLoader.Load, problems);

        if (clientCertificates is not null && key is not null && !KeyMatchesCertificate(key, clientCertificates[0]))
        {
            int match = IndexOfMatchingCertificate(key, clientCertificates);
            problems.Add(new TlsProblem(
                TlsOptions.ClientKeyOption,
                keyPath!,
                match > 0
                    ? $"The private key matches certificate {match + 1} in {TlsOptions.ClientCertificateOption} "
                        + $"'{certificatePath}', not the first one. Put the client certificate first in the file, "
                        + "followed by its intermediate CA certificates."
                    : "The private key does not match the public key of the certificate in "
                        + $"{TlsOptions.ClientCertificateOption} '{certificatePath}'. Use the key that was issued "
                        + "with that certificate."));
        }

        DisposeAll(clientCertificates);
        return problems;
    }

    /// <summary>
    /// Configures the <see cref="SocketsHttpHandler.SslOptions"/> of <paramref name="handler"/>
    /// from <paramref name="options"/>.
    /// </summary>
    /// <remarks>
    /// Without server certificates and without <see cref="TlsOptions.AllowSelfSigned"/>, the system trust is used
    /// unchanged. Configured server certificates are trusted in addition to the system CAs, and the hostname check
    /// stays on. <see cref="TlsOptions.AllowSelfSigned"/> accepts every server certificate, including one issued
    /// for another host, and takes precedence over the server certificates. Either setting replaces any
    /// <see cref="System.Net.Security.SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>
    /// already set on the handler.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// <see cref="Validate"/> found problems. The message lists all of them.
    /// </exception>
    public static void Apply(SocketsHttpHandler handler, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);

        IReadOnlyList<TlsProblem> problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The TLS options are invalid. {string.Join(" ", problems)}", nameof(options));
        }

        string[] serverCertificatePaths = options.ServerCertificatePaths
            .Where(path => !string.IsNullOrWhiteSpace(path))
            .ToArray();
        if (options.AllowSelfSigned)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (serverCertificatePaths.Length > 0)
        {
            var trustedCertificates = new X509Certificate2Collection();
            foreach (string path in serverCertificatePaths)
            {
                trustedCertificates.AddRange(LoadCertificates(path));
            }

            handler.SslOptions.RemoteCertificateValidationCallback =
                new ServerCertificateValidator(trustedCertificates).Validate;
        }

        string? certificatePath = NullIfBlank(options.ClientCertificatePath);
        string? keyPath = NullIfBlank(options.ClientKeyPath);
        if (certificatePath is not null && keyPath is not null)
        {
            X509Certificate2 certificate = LoadClientCertificate(
                certificatePath, keyPath, out X509Certificate2Collection issuers);
            if (issuers.Count == 0)
            {
                handler.SslOptions.ClientCertificates = [certificate];
            }
            else
            {
                // A context sends the CA certificates that follow the client certificate in its file along with it,
                // so a server that trusts only the root can build the chain.
                handler.SslOptions.ClientCertificateContext =
                    SslStreamCertificateContext.Create(certificate, issuers, offline: true);
            }
        }
    }

    /// <summary>
    /// Loads all certificates from a PEM file, which may contain several, or from a DER file, which contains one.
    /// The format is detected from the content, not from the file name.
    /// </summary>
    /// <exception cref="CryptographicException">The file contains no readable certificate.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The process lacks permission to read the file.</exception>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        try
        {
            return ReadCertificates(path);
        }
        catch (CryptographicException exception)
        {
            throw new CryptographicException($"'{path}': {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Loads a client certificate and its unencrypted private key into one certificate that SslStream can present.
    /// </summary>
    /// <remarks>
    /// The certificate file may be PEM or DER, and the key may be PEM PKCS#8, PKCS#1 or SEC1, or DER PKCS#8,
    /// PKCS#1 or SEC1. The first certificate of a PEM file is the client certificate, and the ones after it are its
    /// chain's intermediate CA certificates, which <see cref="Apply"/> sends with it.
    /// </remarks>
    /// <exception cref="CryptographicException">
    /// A file could not be read as a certificate or a supported key, or the key does not match the certificate.
    /// </exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The process lacks permission to read a file.</exception>
    public static X509Certificate2 LoadClientCertificate(string certPath, string keyPath)
    {
        X509Certificate2 certificate = LoadClientCertificate(certPath, keyPath, out X509Certificate2Collection issuers);
        DisposeAll(issuers);
        return certificate;
    }

    /// <summary>
    /// Loads a client certificate and its key as <see cref="LoadClientCertificate(string, string)"/> does, and returns
    /// the certificates that follow it in a PEM file, the intermediate CA certificates of its chain, in
    /// <paramref name="issuers"/>.
    /// </summary>
    internal static X509Certificate2 LoadClientCertificate(
        string certPath, string keyPath, out X509Certificate2Collection issuers)
    {
        ArgumentNullException.ThrowIfNull(certPath);
        ArgumentNullException.ThrowIfNull(keyPath);

        X509Certificate2Collection certificates = LoadCertificates(certPath);
        issuers = [];
        try
        {
            X509Certificate2 certificate = certificates[0];
            using AsymmetricAlgorithm key = LoadPrivateKey(keyPath);
            if (!KeyMatchesCertificate(key, certificate))
            {
                int match = IndexOfMatchingCertificate(key, certificates);
                throw new CryptographicException(match > 0
                    ? $"The private key in '{keyPath}' matches certificate {match + 1} in '{certPath}', not the first one. "
                        + "Put the client certificate first in the file, followed by its intermediate CA certificates."
                    : $"The private key in '{keyPath}' does not match the public key "
                        + $"of the certificate in '{certPath}'. Use the key that was issued with that certificate.");
            }

            using X509Certificate2 withKey = key switch
            {
                RSA rsa => certificate.CopyWithPrivateKey(rsa),
                ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
                _ => throw new CryptographicException($"The private key in '{keyPath}' is neither RSA nor EC."),
            };

            // CopyWithPrivateKey attaches an ephemeral key, which SslStream cannot use on Windows because SChannel
            // rejects ephemeral keys. Reloading from PKCS#12 gives a persisted key. On Linux the ephemeral key works
            // as well (checked with .NET 10), and the reload does no harm there.
            byte[] pkcs12 = withKey.Export(X509ContentType.Pkcs12);
            X509Certificate2 loaded;
            try
            {
                loaded = X509CertificateLoader.LoadPkcs12(pkcs12, null);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs12);
            }

            for (var i = 1; i < certificates.Count; i++)
            {
                issuers.Add(certificates[i]);
            }

            certificates[0].Dispose();
            return loaded;
        }
        catch
        {
            DisposeAll(certificates);
            throw;
        }
    }

    private static AsymmetricAlgorithm LoadPrivateKey(string keyPath)
    {
        try
        {
            return PrivateKeyLoader.Load(keyPath);
        }
        catch (CryptographicException exception)
        {
            throw new CryptographicException($"'{keyPath}': {exception.Message}", exception);
        }
    }

    /// <summary>Reads certificates and throws exceptions whose message gives the reason without the path.</summary>
    private static X509Certificate2Collection ReadCertificates(string path)
    {
        byte[] content = File.ReadAllBytes(path);
        if (content.AsSpan().IndexOf("-----BEGIN "u8) < 0)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(content);
            }
            catch (CryptographicException exception)
            {
                throw new CryptographicException("The file could not be read as a PEM or DER certificate.", exception);
            }

            // The loader reads the first DER value and ignores what follows, such as a second certificate that the
            // file's author expected to be sent as the chain.
            int length = EncodedLength(content);
            if (content.AsSpan(length).ContainsAnyExcept(DerTrailingWhiteSpace))
            {
                certificate.Dispose();
                throw new CryptographicException(
                    $"The DER file has data after its certificate ({content.Length - length} of {content.Length} bytes), "
                    + "but a DER file holds one certificate. Write several certificates to one PEM file instead.");
            }

            return new X509Certificate2Collection(certificate);
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.UTF8.GetString(content));
        }
        catch (CryptographicException exception)
        {
            DisposeAll(certificates);
            throw new CryptographicException(
                "The file could not be read as a PEM or DER certificate "
                + "because a 'BEGIN CERTIFICATE' block is invalid.",
                exception);
        }

        if (certificates.Count == 0)
        {
            throw new CryptographicException(
                "The file could not be read as a PEM or DER certificate "
                + "because it contains no 'BEGIN CERTIFICATE' block.");
        }

        return certificates;
    }

    /// <summary>
    /// Runs <paramref name="load"/> and turns its failure into a problem. Returns null after a failure.
    /// </summary>
    private static T? TryLoad<T>(string option, string path, Func<string, T> load, List<TlsProblem> problems)
        where T : class
    {
        try
        {
            return load(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            problems.Add(new TlsProblem(option, path, "File not found. Check the path."));
        }
        catch (UnauthorizedAccessException)
        {
            problems.Add(new TlsProblem(option, path, "The file could not be read because access was denied."));
        }
        catch (IOException exception)
        {
            problems.Add(new TlsProblem(option, path, $"The file could not be read: {exception.Message}"));
        }
        catch (CryptographicException exception)
        {
            // The loaders write these messages themselves, so they contain no key material.
            problems.Add(new TlsProblem(option, path, exception.Message));
        }

        return null;
    }

    private static bool KeyMatchesCertificate(AsymmetricAlgorithm key, X509Certificate2 certificate)
    {
        switch (key)
        {
            case RSA rsa:
            {
                using RSA? publicKey = certificate.GetRSAPublicKey();
                if (publicKey is null)
                {
                    return false;
                }

                RSAParameters expected = publicKey.ExportParameters(includePrivateParameters: false);
                RSAParameters actual = rsa.ExportParameters(includePrivateParameters: false);
                return expected.Modulus.AsSpan().SequenceEqual(actual.Modulus)
                    && expected.Exponent.AsSpan().SequenceEqual(actual.Exponent);
            }

            case ECDsa ecdsa:
            {
                using ECDsa? publicKey = certificate.GetECDsaPublicKey();
                if (publicKey is null)
                {
                    return false;
                }

                ECParameters expected = publicKey.ExportParameters(includePrivateParameters: false);
                ECParameters actual = ecdsa.ExportParameters(includePrivateParameters: false);
                return expected.Q.X.AsSpan().SequenceEqual(actual.Q.X)
                    && expected.Q.Y.AsSpan().SequenceEqual(actual.Q.Y);
            }

            default:
                return false;
        }
    }

    private static string? NullIfBlank(string? value)
    {
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    // White space that an editor or a shell may add after a DER certificate.
    private static readonly System.Buffers.SearchValues<byte> DerTrailingWhiteSpace =
        System.Buffers.SearchValues.Create(" \t\r\n"u8);

    private static int EncodedLength(byte[] content)
    {
        try
        {
            System.Formats.Asn1.AsnDecoder.ReadEncodedValue(
                content, System.Formats.Asn1.AsnEncodingRules.BER, out _, out _, out int consumed);
            return consumed;
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return content.Length;
        }
    }

    /// <summary>Returns the index of the first certificate whose public key matches the key, or -1.</summary>
    private static int IndexOfMatchingCertificate(AsymmetricAlgorithm key, X509Certificate2Collection certificates)
    {
        for (var i = 0; i < certificates.Count; i++)
        {
            if (KeyMatchesCertificate(key, certificates[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void DisposeAll(X509Certificate2Collection? certificates)
    {
        if (certificates is null)
        {
            return;
        }

        foreach (X509Certificate2 certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}
