using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Parapet.Hosting;

/// <summary>The server's own key pairs as JWKs (signing and encryption alike): made with a random kid, and their public halves for <c>/jwks</c>.</summary>
internal static class ServerJwk
{
    /// <summary>A new RSA 2048 or EC P-256 private JWK with a 96-bit random kid, its <c>alg</c> and <c>use</c> set.</summary>
    public static JsonWebKey New(bool rsa, string alg, string use)
    {
        JsonWebKey jwk;
        if (rsa)
        {
            using var key = RSA.Create(2048);
            jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(true)));
        }
        else
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(key.ExportParameters(true))));
        }
        jwk.Kid = Protocol.Base64Url.Encode(RandomNumberGenerator.GetBytes(12));
        jwk.Alg = alg;
        jwk.Use = use;
        return jwk;
    }

    /// <summary>The public members only (RFC 7517 §4, RFC 7518 §6.2.1 and §6.3.1): never d, p, q, dp, dq or qi.</summary>
    public static JsonWebKey Public(JsonWebKey k, string use, string? alg) => new()
    {
        Kty = k.Kty, Kid = k.Kid, Use = use, Alg = alg, N = k.N, E = k.E, Crv = k.Crv, X = k.X, Y = k.Y,
    };
}
