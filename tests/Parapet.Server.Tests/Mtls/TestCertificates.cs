using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Parapet.Server.Tests.Mtls;

/// <summary>
/// The certificates of the mTLS tests, made with CertificateRequest: a test CA (its PEM is the server's --mtls-trust-ca), client
/// certificates it signs with a DN and SANs, one from a CA the server does not trust, and self-signed ones.
/// </summary>
public static class TestCertificates
{
    public const string ClientDn = "CN=app, O=Example Corp, C=SE";
    public const string ClientDns = "app.client.example";

    public static readonly X509Certificate2 Ca = CreateCa("CN=Parapet Test Client CA");
    public static readonly X509Certificate2 OtherCa = CreateCa("CN=Untrusted CA");

    /// <summary>Signed by <see cref="Ca"/>, subject <see cref="ClientDn"/>, SAN dNSName <see cref="ClientDns"/>.</summary>
    public static readonly X509Certificate2 Client = Signed(Ca, ClientDn, ClientDns);
    /// <summary>Signed by <see cref="Ca"/>, another subject and SAN.</summary>
    public static readonly X509Certificate2 OtherClient = Signed(Ca, "CN=other, O=Example Corp, C=SE", "other.client.example");
    /// <summary>The same subject and SAN as <see cref="Client"/>, signed by a CA the server does not trust.</summary>
    public static readonly X509Certificate2 Impostor = Signed(OtherCa, ClientDn, ClientDns);

    public static readonly X509Certificate2 SelfSigned = CreateSelfSigned("CN=self-signed app");
    public static readonly X509Certificate2 OtherSelfSigned = CreateSelfSigned("CN=self-signed stranger");

    /// <summary>Writes <see cref="Ca"/> as a PEM bundle into <paramref name="directory"/> and returns its path.</summary>
    public static string WriteCaBundle(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "client-ca.pem");
        File.WriteAllText(path, Ca.ExportCertificatePem());
        return path;
    }

    /// <summary>A JWK Set with the certificate's public key and the certificate as x5c (RFC 7517 §4.7), as a self-signed client registers it.</summary>
    public static JsonObject Jwks(X509Certificate2 certificate)
    {
        var parameters = certificate.GetECDsaPublicKey()!.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["x"] = Base64Url(parameters.Q.X!),
                ["y"] = Base64Url(parameters.Q.Y!),
                ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)),
            }),
        };
    }

    public static string Thumbprint(X509Certificate2 certificate) => Base64Url(SHA256.HashData(certificate.RawData));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Signed(X509Certificate2 ca, string subject, string dns)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ClientRequest(subject, key);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dns);
        names.AddIpAddress(IPAddress.Parse("192.0.2.7"));
        request.CertificateExtensions.Add(names.Build());
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(12));
        return Exportable(signed.CopyWithPrivateKey(key));
    }

    private static X509Certificate2 CreateSelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var created = ClientRequest(subject, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Exportable(created);
    }

    private static CertificateRequest ClientRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request;
    }

    /// <summary>SslStream presents a client certificate most reliably when its key came from a PKCS#12 import.</summary>
    private static X509Certificate2 Exportable(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
        }
    }
}
