using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Protocol.Tests.Clients.Certificates;

/// <summary>Certificates made on the spot: a CA and leaves it signs, with the subject and SANs a test needs.</summary>
internal static class TestPki
{
    public static X509Certificate2 Ca(string name = "CN=Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <param name="eku">Extended key usage OIDs; default TLS client authentication.</param>
    public static X509Certificate2 Leaf(X509Certificate2 ca, string subject, Action<SubjectAlternativeNameBuilder>? sans = null, string eku = "1.3.6.1.5.5.7.3.2")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(eku)], false));
        if (sans is not null)
        {
            var builder = new SubjectAlternativeNameBuilder();
            sans(builder);
            request.CertificateExtensions.Add(builder.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        return signed.CopyWithPrivateKey(key);
    }

    public static X509Certificate2 AllSans(X509Certificate2 ca) => Leaf(ca, "CN=app, O=Example Corp, C=SE", b =>
    {
        b.AddDnsName("app.example");
        b.AddUri(new Uri("spiffe://example/app"));
        b.AddIpAddress(IPAddress.Parse("10.1.2.3"));
        b.AddEmailAddress("Ops@Example.com");
    });
}
