namespace Parapet.Protocol.Jose;

/// <summary>
/// The JWE algorithms Parapet decrypts (request objects encrypted to the server, RFC 9101 §6.1), as published in discovery.
/// RSA1_5 is left out on purpose (RFC 8725 §3.2: padding-oracle attacks); the CBC-HMAC encs are not offered because one
/// AEAD is enough and FAPI 2.0 message signing names A256GCM.
/// </summary>
public static class JweAlgorithms
{
    public const string RsaOaep256 = "RSA-OAEP-256";
    public const string EcdhEs = "ECDH-ES";
    public const string A256Gcm = "A256GCM";

    /// <summary>Key management (<c>alg</c>, RFC 7518 §4); one server key per algorithm.</summary>
    public static readonly IReadOnlyList<string> KeyManagement = [RsaOaep256, EcdhEs];

    /// <summary>Content encryption (<c>enc</c>, RFC 7518 §5).</summary>
    public static readonly IReadOnlyList<string> ContentEncryption = [A256Gcm];
}
