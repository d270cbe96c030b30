using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>
/// Encrypts request objects to the server's published keys as a client would (RFC 7516 compact serialization), written
/// directly on the BCL's primitives so the tests do not share code with the server's decryption.
/// </summary>
public static class Jwes
{
    /// <summary>The server's public encryption key for <paramref name="alg"/>, as /jwks publishes it.</summary>
    public static async Task<JsonObject> ServerKeyAsync(ParapetTestServer server, string alg)
    {
        using var http = server.CreateClient();
        var jwks = (await http.GetFromJsonAsync<JsonObject>("/jwks"))!;
        return jwks["keys"]!.AsArray().Single(k => k!["use"]!.GetValue<string>() == "enc" && k["alg"]!.GetValue<string>() == alg)!.AsObject();
    }

    /// <summary>
    /// A JWE of <paramref name="plaintext"/> to <paramref name="key"/>. <paramref name="header"/> overrides (or with null
    /// removes) protected-header members, e.g. to claim another alg, enc or kid than the one really used.
    /// </summary>
    public static string Encrypt(string plaintext, JsonObject key, params (string Name, JsonNode? Value)[] header)
    {
        var alg = key["alg"]!.GetValue<string>();
        var protectedHeader = new JsonObject { ["alg"] = alg, ["enc"] = "A256GCM", ["kid"] = key["kid"]!.GetValue<string>(), ["cty"] = "JWT" };
        byte[] cek;
        byte[] encryptedKey;
        if (alg == "ECDH-ES")
        {
            using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var q = ephemeral.ExportParameters(false).Q;
            protectedHeader["epk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(q.X!), ["y"] = B64(q.Y!) };
            using var recipient = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(key["x"]!.GetValue<string>()), Y = Base64UrlEncoder.DecodeBytes(key["y"]!.GetValue<string>()) },
            });
            cek = ConcatKdf(ephemeral, recipient.PublicKey, "A256GCM");
            encryptedKey = [];
        }
        else
        {
            cek = RandomNumberGenerator.GetBytes(32);
            using var rsa = RSA.Create(new RSAParameters
            {
                Modulus = Base64UrlEncoder.DecodeBytes(key["n"]!.GetValue<string>()),
                Exponent = Base64UrlEncoder.DecodeBytes(key["e"]!.GetValue<string>()),
            });
            encryptedKey = rsa.Encrypt(cek, RSAEncryptionPadding.OaepSHA256);
        }
        Jwts.Apply(protectedHeader, header);
        return Seal(protectedHeader, cek, encryptedKey, plaintext);
    }

    /// <summary>A256GCM over the plaintext with the encoded protected header as additional data (RFC 7516 §5.1).</summary>
    public static string Seal(JsonObject protectedHeader, byte[] cek, byte[] encryptedKey, string plaintext)
    {
        var encodedHeader = B64(Encoding.UTF8.GetBytes(protectedHeader.ToJsonString()));
        var iv = RandomNumberGenerator.GetBytes(12);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var ciphertext = new byte[clear.Length];
        var tag = new byte[16];
        using var gcm = new AesGcm(cek, 16);
        gcm.Encrypt(iv, clear, ciphertext, tag, Encoding.ASCII.GetBytes(encodedHeader));
        return $"{encodedHeader}.{B64(encryptedKey)}.{B64(iv)}.{B64(ciphertext)}.{B64(tag)}";
    }

    /// <summary>RFC 7518 §4.6.2: Concat KDF with SHA-256, AlgorithmID = enc, no PartyU/PartyV info, 256-bit key.</summary>
    private static byte[] ConcatKdf(ECDiffieHellman ephemeral, ECDiffieHellmanPublicKey recipient, string enc)
    {
        static byte[] Length(int n) => [(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n];
        var algorithmId = Encoding.ASCII.GetBytes(enc);
        byte[] otherInfo = [.. Length(algorithmId.Length), .. algorithmId, .. Length(0), .. Length(0), .. Length(256)];
        return ephemeral.DeriveKeyFromHash(recipient, HashAlgorithmName.SHA256, [0, 0, 0, 1], otherInfo);
    }

    private static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);
}
