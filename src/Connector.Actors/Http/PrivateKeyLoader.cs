using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace Connector.Actors.Http;

/// <summary>Loader of unencrypted RSA and EC private key files in PEM or DER form.</summary>
internal static class PrivateKeyLoader
{
    private const string RsaAlgorithmOid = "1.2.840.113549.1.1.1";
    private const string EcAlgorithmOid = "1.2.840.10045.2.1";

    private const string SupportedForms =
        "Use an unencrypted key in PEM PKCS#8 ('BEGIN PRIVATE KEY'), PKCS#1 ('BEGIN RSA PRIVATE KEY') "
        + "or SEC1 ('BEGIN EC PRIVATE KEY') form, or in DER PKCS#8, PKCS#1 or SEC1 form.";

    private enum KeyForm
    {
        Unknown,
        Pkcs8,
        EncryptedPkcs8,
        Pkcs1,
        Sec1,
    }

    /// <summary>
    /// Loads the private key in <paramref name="path"/> as <see cref="RSA"/> or <see cref="ECDsa"/>.
    /// The form is detected from the content, not from the file name.
    /// </summary>
    /// <exception cref="CryptographicException">
    /// The file contains no supported unencrypted key. The message gives the reason without the path,
    /// and it never contains key material.
    /// </exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The process lacks permission to read the file.</exception>
    public static AsymmetricAlgorithm Load(string path)
    {
        byte[] content = File.ReadAllBytes(path);
        try
        {
            if (content.AsSpan().IndexOf("-----BEGIN "u8) >= 0)
            {
                return LoadPem(Encoding.UTF8.GetString(content));
            }

            return LoadDer(content);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private static AsymmetricAlgorithm LoadPem(string text)
    {
        // OpenSSL's legacy encryption puts "Proc-Type" and "DEK-Info" headers inside the block.
        // RFC 7468 parsing skips such a block, so it is detected here.
        if (text.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.OrdinalIgnoreCase))
        {
            throw EncryptedKey();
        }

        ReadOnlySpan<char> remaining = text;
        while (PemEncoding.TryFind(remaining, out PemFields fields))
        {
            string label = remaining[fields.Label].ToString();
            KeyForm expectedForm = label switch
            {
                "PRIVATE KEY" => KeyForm.Pkcs8,
                "RSA PRIVATE KEY" => KeyForm.Pkcs1,
                "EC PRIVATE KEY" => KeyForm.Sec1,
                "ENCRYPTED PRIVATE KEY" => KeyForm.EncryptedPkcs8,
                _ => KeyForm.Unknown,
            };

            if (expectedForm == KeyForm.EncryptedPkcs8)
            {
                throw EncryptedKey();
            }

            if (expectedForm == KeyForm.Unknown)
            {
                if (label.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
                {
                    throw new CryptographicException($"The PEM label '{label}' is not supported. {SupportedForms}");
                }

                // Blocks such as 'EC PARAMETERS' or 'CERTIFICATE' may precede the key.
                remaining = remaining[fields.Location.End..];
                continue;
            }

            byte[] der = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
            try
            {
                return LoadPemBlock(der, label, expectedForm);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }

        throw new CryptographicException($"The file contains no PEM private key block. {SupportedForms}");
    }

    private static AsymmetricAlgorithm LoadPemBlock(byte[] der, string label, KeyForm expectedForm)
    {
        (KeyForm form, string? algorithmOid) = DetectForm(der);
        if (form == KeyForm.EncryptedPkcs8)
        {
            throw EncryptedKey();
        }

        if (form != expectedForm)
        {
            throw new CryptographicException(
                $"The 'BEGIN {label}' block does not contain a {FormName(expectedForm)} key. {SupportedForms}");
        }

        return Import(der, form, algorithmOid);
    }

    private static AsymmetricAlgorithm LoadDer(byte[] der)
    {
        (KeyForm form, string? algorithmOid) = DetectForm(der);
        if (form == KeyForm.EncryptedPkcs8)
        {
            throw EncryptedKey();
        }

        if (form == KeyForm.Unknown)
        {
            throw new CryptographicException(
                $"The file could not be read as a PEM or DER private key. {SupportedForms}");
        }

        return Import(der, form, algorithmOid);
    }

    /// <summary>
    /// Detects the key structure from its outer ASN.1 elements, and for PKCS#8 also returns the algorithm OID.
    /// </summary>
    private static (KeyForm Form, string? AlgorithmOid) DetectForm(byte[] der)
    {
        try
        {
            AsnReader sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            Asn1Tag first = sequence.PeekTag();
            if (first.HasSameClassAndValue(Asn1Tag.Integer))
            {
                // PKCS#8, PKCS#1 and SEC1 all start with a version number, and their second element differs.
                sequence.ReadIntegerBytes();
                Asn1Tag second = sequence.PeekTag();
                if (second.HasSameClassAndValue(Asn1Tag.Sequence))
                {
                    return (KeyForm.Pkcs8, sequence.ReadSequence().ReadObjectIdentifier());
                }

                if (second.HasSameClassAndValue(Asn1Tag.Integer))
                {
                    return (KeyForm.Pkcs1, null);
                }

                if (second.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
                {
                    return (KeyForm.Sec1, null);
                }
            }
            else if (first.HasSameClassAndValue(Asn1Tag.Sequence))
            {
                // EncryptedPrivateKeyInfo is an AlgorithmIdentifier followed by the encrypted bytes.
                // A certificate also starts with a sequence, but its first inner element is not an OID.
                AsnReader algorithm = sequence.ReadSequence();
                if (algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier)
                    && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
                {
                    return (KeyForm.EncryptedPkcs8, null);
                }
            }
        }
        catch (AsnContentException)
        {
            // Not DER, or not one of the key structures.
        }

        return (KeyForm.Unknown, null);
    }

    private static AsymmetricAlgorithm Import(byte[] der, KeyForm form, string? algorithmOid)
    {
        return form switch
        {
            KeyForm.Pkcs8 when algorithmOid == RsaAlgorithmOid =>
                Import(RSA.Create(), key => key.ImportPkcs8PrivateKey(der, out _), form),
            KeyForm.Pkcs8 when algorithmOid == EcAlgorithmOid =>
                Import(ECDsa.Create(), key => key.ImportPkcs8PrivateKey(der, out _), form),
            KeyForm.Pkcs8 => throw new CryptographicException(
                $"The key algorithm with OID {algorithmOid} is not supported. Use an RSA or EC key."),
            KeyForm.Pkcs1 => Import(RSA.Create(), key => key.ImportRSAPrivateKey(der, out _), form),
            KeyForm.Sec1 => Import(ECDsa.Create(), key => key.ImportECPrivateKey(der, out _), form),
            _ => throw new ArgumentOutOfRangeException(
                nameof(form), form, "Only unencrypted key forms can be imported."),
        };
    }

    private static TKey Import<TKey>(TKey key, Action<TKey> import, KeyForm form)
        where TKey : AsymmetricAlgorithm
    {
        try
        {
            import(key);
            return key;
        }
        catch (CryptographicException exception)
        {
            key.Dispose();

            // The inner exception keeps the platform's reason. The outer message is fixed text,
            // so it cannot contain key bytes.
            throw new CryptographicException(
                $"The {FormName(form)} private key could not be read. The file may be truncated or corrupt.",
                exception);
        }
    }

    private static string FormName(KeyForm form)
    {
        return form switch
        {
            KeyForm.Pkcs8 => "PKCS#8",
            KeyForm.EncryptedPkcs8 => "encrypted PKCS#8",
            KeyForm.Pkcs1 => "PKCS#1 RSA",
            KeyForm.Sec1 => "SEC1 EC",
            _ => "supported",
        };
    }

    private static CryptographicException EncryptedKey()
    {
        return new CryptographicException(
            "The private key is encrypted, but it must be unencrypted. "
            + "Decrypt it, for example with 'openssl pkey -in encrypted.pem -out key.pem'.");
    }
}
