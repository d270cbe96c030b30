using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Parapet.Server.Tests.JwtAuth;

namespace Parapet.Server.Tests.Dpop;

/// <summary>A client's DPoP key pair and the proofs it signs (RFC 9449 §4.2), with every header member and claim open to tampering.</summary>
public sealed class DpopKey
{
    private readonly ClientKey _key;

    private DpopKey(ClientKey key) => _key = key;

    public static DpopKey Ec() => new(ClientKey.Ec("dpop"));
    public static DpopKey Rsa(string alg = "PS256") => new(ClientKey.Rsa("dpop", alg));

    /// <summary>RFC 7638 SHA-256 thumbprint, as in <c>dpop_jkt</c> and <c>cnf.jkt</c>.</summary>
    public string Jkt => Base64UrlEncoder.Encode(_key.PublicJwk.ComputeJwkThumbprint());

    public JsonObject PublicJwk()
    {
        var jwk = _key.PublicJson();
        jwk.Remove("kid");
        jwk.Remove("use");
        return jwk;
    }

    /// <summary>The public JWK with the private scalar <c>d</c> added (an EC key), which a proof must never carry.</summary>
    public JsonObject PrivateJwk()
    {
        var jwk = PublicJwk();
        jwk["d"] = Base64UrlEncoder.Encode(((ECDsaSecurityKey)_key.Key).ECDsa.ExportParameters(true).D!);
        return jwk;
    }

    public JsonObject Header() => new() { ["typ"] = "dpop+jwt", ["alg"] = _key.Algorithm, ["jwk"] = PublicJwk() };

    public static JsonObject Claims(string method, string url, DateTimeOffset now, string? accessToken = null, string? nonce = null)
    {
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = now.ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }
        return claims;
    }

    public string Proof(string method, string url, DateTimeOffset now, string? accessToken = null, string? nonce = null) =>
        Sign(Header(), Claims(method, url, now, accessToken, nonce));

    /// <summary>Signs header and claims as given; <paramref name="signer"/> signs instead of this key (a forged signature).</summary>
    public string Sign(JsonObject header, JsonObject claims, DpopKey? signer = null)
    {
        var input = Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(claims.ToJsonString());
        var key = (signer ?? this)._key;
        var provider = key.Key.CryptoProviderFactory.CreateForSigning(key.Key, key.Algorithm);
        try
        {
            return input + "." + Base64UrlEncoder.Encode(provider.Sign(Encoding.ASCII.GetBytes(input)));
        }
        finally
        {
            key.Key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        }
    }

    /// <summary>An HMAC-signed proof (<paramref name="header"/>'s alg should say HS256): symmetric algorithms are refused.</summary>
    public static string SignWithSecret(JsonObject header, JsonObject claims)
    {
        var input = Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(claims.ToJsonString());
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes("a-shared-secret-a-shared-secret-!"), Encoding.ASCII.GetBytes(input));
        return input + "." + Base64UrlEncoder.Encode(mac);
    }

    /// <summary>An unsecured JWT (alg none, empty signature).</summary>
    public static string Unsecured(JsonObject header, JsonObject claims) =>
        Base64UrlEncoder.Encode(header.ToJsonString()) + "." + Base64UrlEncoder.Encode(claims.ToJsonString()) + ".";
}
