using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Jose;

/// <summary>
/// RSA-OAEP-256 key unwrapping (RFC 7518 §4.3: OAEP with SHA-256 and MGF1-SHA-256) for IdentityModel's JWE pipeline, which
/// supports only RSA-OAEP (SHA-1) itself. Unwrap only.
/// </summary>
internal sealed class RsaOaep256Unwrap(RsaSecurityKey key) : KeyWrapProvider
{
    public override string Algorithm => JweAlgorithms.RsaOaep256;
    public override string? Context { get; set; }
    public override SecurityKey Key => key;

    public override byte[] UnwrapKey(byte[] keyBytes)
    {
        using var rsa = RSA.Create(key.Parameters);
        return rsa.Decrypt(keyBytes, RSAEncryptionPadding.OaepSHA256);
    }

    public override byte[] WrapKey(byte[] keyBytes) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
    }
}
