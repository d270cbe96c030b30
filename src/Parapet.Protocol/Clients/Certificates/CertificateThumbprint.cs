using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Protocol.Clients.Certificates;

/// <summary>RFC 8705 §3.1 <c>x5t#S256</c>: the base64url SHA-256 of the DER certificate.</summary>
public static class CertificateThumbprint
{
    public static string Of(X509Certificate2 certificate) => Base64Url.Encode(SHA256.HashData(certificate.RawData));
}
