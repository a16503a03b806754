using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Connector.Actors.Http;

/// <summary>
/// Server certificate check that trusts the system CAs and, in addition, a configured set of certificates.
/// </summary>
internal sealed class ServerCertificateValidator
{
    private readonly X509Certificate2Collection _trustedCertificates;

    /// <summary>Creates a validator that also trusts <paramref name="trustedCertificates"/>.</summary>
    /// <param name="trustedCertificates">
    /// CA certificates, which become trust anchors, and server certificates, which are accepted as pinned leaves.
    /// The validator keeps the collection and does not dispose it.
    /// </param>
    public ServerCertificateValidator(X509Certificate2Collection trustedCertificates)
    {
        ArgumentNullException.ThrowIfNull(trustedCertificates);
        _trustedCertificates = trustedCertificates;
    }

    /// <summary>
    /// Returns whether the server certificate is trusted. It has the signature of
    /// <see cref="RemoteCertificateValidationCallback"/>.
    /// </summary>
    /// <remarks>
    /// A certificate that passed the system check is accepted. A certificate whose only error is an untrusted chain
    /// is accepted if it chains to one of the configured certificates, or if it is one of them and is within its
    /// validity period. A hostname mismatch is always rejected.
    /// </remarks>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors)
    {
        if (sslPolicyErrors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || sslPolicyErrors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return ChainsToTrustedCertificate(leaf, chain) || IsPinned(leaf);
    }

    private bool ChainsToTrustedCertificate(X509Certificate2 leaf, X509Chain? systemChain)
    {
        using var customChain = new X509Chain();

        // The copied policy keeps the platform's revocation mode, the server authentication usage
        // and the intermediates that the server sent.
        if (systemChain is not null)
        {
            customChain.ChainPolicy = systemChain.ChainPolicy.Clone();
        }

        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.AddRange(_trustedCertificates);
        customChain.ChainPolicy.ExtraStore.AddRange(_trustedCertificates);

        return customChain.Build(leaf);
    }

    private bool IsPinned(X509Certificate2 leaf)
    {
        DateTime now = DateTime.Now;
        if (now < leaf.NotBefore || now > leaf.NotAfter)
        {
            return false;
        }

        foreach (X509Certificate2 trusted in _trustedCertificates)
        {
            if (trusted.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
            {
                return true;
            }
        }

        return false;
    }
}
