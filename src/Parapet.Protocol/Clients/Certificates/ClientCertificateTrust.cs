using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Protocol.Clients.Certificates;

/// <summary>
/// The trust anchors for <c>tls_client_auth</c> (RFC 8705 §2.1): the operator's PEM bundle (<c>--mtls-trust-ca</c>), never the
/// system store, so a certificate from any public CA does not authenticate a client by accident. TLS itself does not check
/// client chains here, because self-signed certificates are legitimate for <c>self_signed_tls_client_auth</c> (§2.2).
/// </summary>
public sealed class ClientCertificateTrust(X509Certificate2Collection anchors, TimeProvider time)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// How long a certificate that chained is believed without building its chain again. Building costs more than the rest of
    /// a push (bench auth-methods), and a client presents the same certificate on every request. The anchors are fixed for
    /// the process's life and revocation is not checked, so a short memory changes nothing but the cost.
    /// </summary>
    public static readonly TimeSpan TrustedFor = TimeSpan.FromMinutes(5);

    private const int MaxRemembered = 10_000;

    /// <summary>Certificates (by SHA-256 of their DER) that chained, and until when that holds.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _chained = new(StringComparer.Ordinal);

    public static ClientCertificateTrust None(TimeProvider time) => new([], time);

    public bool IsConfigured => anchors.Count > 0;

    /// <summary>Reads a PEM bundle of CA certificates; the message of the exception says what is wrong with the file.</summary>
    public static X509Certificate2Collection ReadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        if (bundle.Count == 0)
        {
            throw new CryptographicException($"{path} holds no PEM certificate.");
        }
        return bundle;
    }

    /// <summary>Null when the certificate chains to an anchor and is valid now; otherwise why not, for the log.</summary>
    public string? Problem(X509Certificate2 certificate)
    {
        if (!IsConfigured)
        {
            return "no trust anchors are configured for tls_client_auth (start the server with --mtls-trust-ca FILE)";
        }
        var now = time.GetUtcNow();
        var thumbprint = CertificateThumbprint.Of(certificate);
        if (_chained.TryGetValue(thumbprint, out var until) && now < until)
        {
            return null;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        // Revocation lists and OCSP need outbound requests the server does not make; the operator revokes by removing the
        // client's registration or its CA from the bundle.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        // A certificate whose extended key usage excludes TLS client authentication is not a client certificate (RFC 5280 §4.2.1.12).
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        if (chain.Build(certificate))
        {
            if (_chained.Count >= MaxRemembered)
            {
                _chained.Clear();
            }
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            _chained[thumbprint] = now + TrustedFor < notAfter ? now + TrustedFor : notAfter;
            return null;
        }
        var statuses = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
        return $"certificate does not chain to a configured trust anchor ({string.Join(", ", statuses)})";
    }
}
