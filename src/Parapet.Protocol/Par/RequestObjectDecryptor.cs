using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Jose;

namespace Parapet.Protocol.Par;

/// <summary>
/// RFC 9101 §6.1: an encrypted request object is decrypted with the server's key that the client encrypted to; "if
/// decryption fails, the authorization server MUST return an invalid_request_object error". The result is the inner JWT,
/// which the reader then checks as if it had come unencrypted.
/// </summary>
public sealed class RequestObjectDecryptor(IEncryptionKeys keys)
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>The JWE's plaintext (the nested JWT, RFC 7519 §5.2) or why it cannot be had.</summary>
    public async Task<Checked<string>> DecryptAsync(JsonWebToken jwe, CancellationToken ct)
    {
        if (!JweAlgorithms.KeyManagement.Contains(jwe.Alg))
        {
            return OAuthErrors.RequestObjectEncryptionAlgorithm(jwe.Alg, JweAlgorithms.KeyManagement);
        }
        if (!JweAlgorithms.ContentEncryption.Contains(jwe.Enc))
        {
            return OAuthErrors.RequestObjectEncryptionEnc(jwe.Enc, JweAlgorithms.ContentEncryption);
        }
        var key = await keys.FindAsync(string.IsNullOrEmpty(jwe.Kid) ? null : jwe.Kid, jwe.Alg, ct);
        if (key is null || key.Alg != jwe.Alg)
        {
            return OAuthErrors.RequestObjectEncryptionKeyUnknown(jwe.Kid);
        }
        try
        {
            SecurityKey decryptionKey = jwe.Alg == JweAlgorithms.EcdhEs ? AgreedKey(jwe, key) : UnwrappingKey(key);
            return Handler.DecryptToken(jwe, new TokenValidationParameters
            {
                TokenDecryptionKeys = [decryptionKey],
                CryptoProviderFactory = JweCrypto.Factory,
            });
        }
        catch (Exception e) when (e is SecurityTokenException or ArgumentException or CryptographicException or FormatException or JsonException or InvalidOperationException)
        {
            // One answer for every failure (bad key, altered ciphertext, bad epk), so the error is no oracle (RFC 7516 §11.5).
            return OAuthErrors.RequestObjectDecryptionFailed() with { LogDetail = $"JWE ({jwe.Alg}, {jwe.Enc}) did not decrypt: {e.GetType().Name}" };
        }
    }

    /// <summary>RSA-OAEP-256: the private key, bound to the factory that can unwrap with it.</summary>
    private static RsaSecurityKey UnwrappingKey(JsonWebKey key)
    {
        if (!JsonWebKeyConverter.TryConvertToSecurityKey(key, out var converted) || converted is not RsaSecurityKey rsa)
        {
            throw new ArgumentException("The server's RSA encryption key could not be read.");
        }
        rsa.CryptoProviderFactory = JweCrypto.Factory;
        return rsa;
    }

    /// <summary>
    /// ECDH-ES in direct key agreement mode (RFC 7518 §4.6): the content key is derived from the sender's ephemeral public
    /// key (<c>epk</c>) and ours with Concat KDF. IdentityModel derives it; its JWE reader only knows the key-wrap variants.
    /// </summary>
    private static SymmetricSecurityKey AgreedKey(JsonWebToken jwe, JsonWebKey key)
    {
        if (!jwe.TryGetHeaderValue<JsonElement>("epk", out var epk) || epk.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The JWE header has no 'epk' object.");
        }
        var ephemeral = new JsonWebKey(epk.GetRawText());
        // The ephemeral key must be a public key on our curve (an off-curve point is refused when imported, RFC 7518 §4.6).
        if (ephemeral.Kty != JsonWebAlgorithmsKeyTypes.EllipticCurve || ephemeral.Crv != key.Crv || ephemeral.HasPrivateKey)
        {
            throw new ArgumentException("The JWE 'epk' is not a public key on the server key's curve.");
        }
        jwe.TryGetHeaderValue<string>("apu", out var apu);
        jwe.TryGetHeaderValue<string>("apv", out var apv);
        var agreement = new EcdhKeyExchangeProvider(key, ephemeral, jwe.Alg, jwe.Enc);
        return (SymmetricSecurityKey)agreement.GenerateKdf(apu, apv);
    }
}
