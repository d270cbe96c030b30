using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Hosting;

/// <summary>
/// The certificate the https listeners serve: the operator's PEM pair (<c>--tls-cert</c>/<c>--tls-key</c>), or a self-signed
/// one for loopback kept in the data directory (<c>--tls-self-signed</c>), created once so clients can pin it across restarts.
/// </summary>
internal static class ServerCertificate
{
    public const string SelfSignedCertFile = "tls-self-signed.crt.pem";
    public const string SelfSignedKeyFile = "tls-self-signed.key.pem";
    private static readonly TimeSpan SelfSignedLifetime = TimeSpan.FromDays(365);

    /// <summary>Null when no certificate is configured.</summary>
    /// <exception cref="StartupError">A file is missing or does not hold a certificate and its key.</exception>
    public static X509Certificate2? Load(ServerOptions options)
    {
        if (options.TlsCert is not null || options.TlsKey is not null)
        {
            if (options.TlsCert is null || options.TlsKey is null)
            {
                throw new StartupError("--tls-cert and --tls-key go together: give both PEM files.");
            }
            return FromPem(options.TlsCert, options.TlsKey);
        }
        return options.TlsSelfSigned ? SelfSigned(options.DataDir) : null;
    }

    private static X509Certificate2 FromPem(string certPath, string keyPath)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message names the files and the reason, never the key's content.
            throw new StartupError($"Cannot load the TLS certificate {certPath} with key {keyPath}: {e.Message}", e);
        }
    }

    private static X509Certificate2 SelfSigned(string dataDir)
    {
        var certPath = Path.Combine(dataDir, SelfSignedCertFile);
        var keyPath = Path.Combine(dataDir, SelfSignedKeyFile);
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = FromPem(certPath, keyPath);
            if (existing.NotAfter > DateTime.Now.AddDays(1))
            {
                return existing;
            }
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Parapet self-signed loopback", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(SelfSignedLifetime));
        // The key is written first with mode 0600, so it is never readable by others, not even for a moment.
        PrivateFile.Write(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, created.ExportCertificatePem());
        return FromPem(certPath, keyPath);
    }
}
