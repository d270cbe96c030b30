using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Jose;

/// <summary>
/// A256GCM content decryption (RFC 7518 §5.3) for IdentityModel's JWE pipeline, over the BCL's <see cref="System.Security.Cryptography.AesGcm"/>:
/// IdentityModel 8's own AES-GCM calls Windows' BCrypt and fails on Linux. Decrypt only; Parapet never encrypts.
/// </summary>
internal sealed class AesGcmDecryption(SymmetricSecurityKey key, string algorithm) : AuthenticatedEncryptionProvider(key, algorithm)
{
    private const int TagBytes = 16;

    public override byte[] Decrypt(byte[] ciphertext, byte[] authenticatedData, byte[] iv, byte[] authenticationTag)
    {
        using var gcm = new System.Security.Cryptography.AesGcm(key.Key, TagBytes);
        var plaintext = new byte[ciphertext.Length];
        // Throws AuthenticationTagMismatchException when the ciphertext, header or tag was altered.
        gcm.Decrypt(iv, ciphertext, authenticationTag, plaintext, authenticatedData);
        return plaintext;
    }

    public override AuthenticatedEncryptionResult Encrypt(byte[] plaintext, byte[] authenticatedData) => throw new NotSupportedException();

    public override AuthenticatedEncryptionResult Encrypt(byte[] plaintext, byte[] authenticatedData, byte[] iv) => throw new NotSupportedException();
}
