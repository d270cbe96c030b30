using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Flow;

/// <summary>
/// Key material for the auth-methods scenario, written to a directory: an EC P-256 key for private_key_jwt (PEM + public
/// JWKS), a CA and a client certificate it signed (tls_client_auth, subject CN=bench-client), and a self-signed client
/// certificate with a JWKS carrying it in <c>x5c</c> (self_signed_tls_client_auth, RFC 8705 §2.2).
/// </summary>
internal static class BenchKeys
{
    public static int Write(string dir)
    {
        Directory.CreateDirectory(dir);
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(dir, "client-ec.pem"), signing.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(dir, "client-jwks.json"), Jwks(Jwk(signing, "bench-ec", null)));

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Parapet bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem());

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=bench-client", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(Path.Combine(dir, "client-cert.pem"), issued.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "client-cert-key.pem"), clientKey.ExportPkcs8PrivateKeyPem());

        using var selfKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var self = new CertificateRequest("CN=bench-self-signed", selfKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(dir, "self-cert.pem"), self.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "self-cert-key.pem"), selfKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(dir, "self-jwks.json"), Jwks(Jwk(selfKey, "bench-self", self)));
        return 0;
    }

    private static JsonObject Jwk(ECDsa key, string kid, X509Certificate2? certificate)
    {
        var p = key.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["kid"] = kid,
            ["use"] = "sig",
            ["alg"] = "ES256",
            ["x"] = FlowRun.Base64Url(p.Q.X!),
            ["y"] = FlowRun.Base64Url(p.Q.Y!),
        };
        if (certificate is not null)
        {
            jwk["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)); // RFC 7517 §4.7: standard base64 DER
        }
        return jwk;
    }

    private static string Jwks(JsonObject jwk) => new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
}
