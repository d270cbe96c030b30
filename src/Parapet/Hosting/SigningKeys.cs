using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Token;
using Parapet.Storage.Stores;

namespace Parapet.Hosting;

/// <summary>
/// The server's signing keys (RS256 signs; ES256 is published for clients that verify with it). Created at first start,
/// kept in the database with the private parts protected by Data Protection, so every node signs alike.
/// </summary>
internal sealed class SigningKeys(SigningKeyStore store, IDataProtectionProvider protection, TimeProvider time) : ISigningKeys
{
    private const string Purpose = "parapet.signing-keys";
    private volatile LoadedKeys? _keys;

    private sealed record LoadedKeys(SigningCredentials Signing, IReadOnlyList<SecurityKey> Verification, IReadOnlyList<JsonWebKey> Public);

    public SigningCredentials Signing => Loaded.Signing;
    public IReadOnlyList<SecurityKey> VerificationKeys => Loaded.Verification;
    public IReadOnlyList<JsonWebKey> PublicJwks => Loaded.Public;

    private LoadedKeys Loaded => _keys ?? throw new InvalidOperationException("Signing keys are not loaded.");

    public async Task EnsureAsync(CancellationToken ct)
    {
        var protector = protection.CreateProtector(Purpose);
        var stored = await store.ListAsync(ct);
        foreach (var alg in new[] { SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256 })
        {
            if (!stored.Any(k => k.Algorithm == alg))
            {
                var jwk = Create(alg);
                await store.AddAsync(new StoredSigningKey(jwk.Kid, alg, protector.Protect(JsonSerializer.Serialize(jwk)), time.GetUtcNow()), ct);
            }
        }
        stored = await store.ListAsync(ct);
        var keys = stored.Select(k => (k.Algorithm, Jwk: new JsonWebKey(protector.Unprotect(k.ProtectedJwk)))).ToList();
        var rsa = keys.Last(k => k.Algorithm == SecurityAlgorithms.RsaSha256).Jwk;
        _keys = new LoadedKeys(
            new SigningCredentials(rsa, SecurityAlgorithms.RsaSha256),
            keys.Select(k => (SecurityKey)k.Jwk).ToList(),
            keys.Select(k => ToPublic(k.Jwk, k.Algorithm)).ToList());
    }

    private static JsonWebKey Create(string alg)
    {
        JsonWebKey jwk;
        if (alg == SecurityAlgorithms.RsaSha256)
        {
            using var rsa = RSA.Create(2048);
            jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true)));
        }
        else
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ExportParameters(true))));
        }
        jwk.Kid = Protocol.Base64Url.Encode(RandomNumberGenerator.GetBytes(12));
        jwk.Alg = alg;
        jwk.Use = "sig";
        return jwk;
    }

    private static JsonWebKey ToPublic(JsonWebKey k, string alg) => new()
    {
        Kty = k.Kty, Kid = k.Kid, Use = "sig", Alg = alg, N = k.N, E = k.E, Crv = k.Crv, X = k.X, Y = k.Y,
    };
}
