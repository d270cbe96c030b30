using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Token;
using Parapet.Storage.Stores;

namespace Parapet.Hosting;

/// <summary>
/// The server's signing keys (RS256 signs; ES256 is published for clients that verify with it), kept in the database with the
/// private parts protected by Data Protection, so every node signs alike. Each algorithm has a current key that signs, a next
/// key already published at <c>/jwks</c>, and during a rotation the previous key, published until its tokens expire
/// (DESIGN §2.7). A key is therefore always published before it signs.
/// </summary>
internal sealed class SigningKeys(SigningKeyStore store, IDataProtectionProvider protection, TimeProvider time, ILogger<SigningKeys> logger) : ISigningKeys
{
    internal const string Purpose = "parapet.signing-keys";
    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];
    /// <summary>Access-token validation tolerates this much clock skew, so a previous key stays that much longer.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);
    private volatile LoadedKeys? _keys;

    private sealed record LoadedKeys(SigningCredentials Signing, SigningCredentials FapiSigning, IReadOnlyList<SecurityKey> Verification,
        IReadOnlyList<JsonWebKey> Public, KeySetVersion Version);

    public SigningCredentials Signing => Loaded.Signing;
    public SigningCredentials FapiSigning => Loaded.FapiSigning;
    public IReadOnlyList<SecurityKey> VerificationKeys => Loaded.Verification;
    public IReadOnlyList<JsonWebKey> PublicJwks => Loaded.Public;

    private LoadedKeys Loaded => _keys ?? throw new InvalidOperationException("Signing keys are not loaded.");

    /// <summary>At start: a current and a next key for each algorithm (keys from before rotation existed are current), then load.</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        var stored = await store.ListAsync(ct);
        foreach (var alg in Algorithms)
        {
            foreach (var status in new[] { SigningKeyStatus.Current, SigningKeyStatus.Next })
            {
                if (!stored.Any(k => k.Algorithm == alg && k.Status == status))
                {
                    await store.AddAsync(NewKey(alg, status), ct);
                }
            }
        }
        await LoadAsync(ct);
    }

    /// <summary>Reloads when the stored key set changed (a rotation or retirement here or on another node).</summary>
    public async Task ReloadIfChangedAsync(CancellationToken ct)
    {
        if (await store.VersionAsync(ct) != _keys?.Version)
        {
            await LoadAsync(ct);
        }
    }

    /// <summary>
    /// Promotes every next key to current and publishes new next keys. The outgoing current keys stay published until the
    /// tokens they signed have expired. False when another node rotated at the same moment (its rotation stands).
    /// </summary>
    public async Task<bool> RotateAsync(ServerProperties properties, CancellationToken ct)
    {
        var stored = await store.ListAsync(ct);
        var rotations = new List<(string, StoredSigningKey)>();
        foreach (var alg in Algorithms)
        {
            var next = stored.LastOrDefault(k => k.Algorithm == alg && k.Status == SigningKeyStatus.Next);
            if (next is null)
            {
                return false;
            }
            rotations.Add((next.KeyId, NewKey(alg, SigningKeyStatus.Next)));
        }
        var now = time.GetUtcNow();
        var rotated = await store.RotateAsync(rotations, now, now.AddSeconds(properties.AccessTokenLifetime) + Skew, ct);
        if (rotated)
        {
            logger.LogInformation("Signing keys rotated; now signing with {KeyIds}", string.Join(", ", rotations.Select(r => r.Item1)));
        }
        await LoadAsync(ct);
        return rotated;
    }

    /// <summary>One beat of the rotation service: retire what expired, rotate when <c>keyRotationInterval</c> has passed, reload on change.</summary>
    public async Task TickAsync(ServerProperties properties, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await store.RetireExpiredAsync(now, ct) > 0)
        {
            logger.LogInformation("Retired previous signing keys whose tokens have expired");
        }
        if (properties.KeyRotationInterval > 0)
        {
            var current = (await store.ListAsync(ct)).LastOrDefault(k => k.Algorithm == SecurityAlgorithms.RsaSha256 && k.Status == SigningKeyStatus.Current);
            var since = current is null ? now : Max(current.ChangedAt, current.CreatedAt);
            if (now - since >= TimeSpan.FromSeconds(properties.KeyRotationInterval))
            {
                await RotateAsync(properties, ct);
            }
        }
        await ReloadIfChangedAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        // The version is read first: a change made while loading is then seen by the next check and loaded again.
        var version = await store.VersionAsync(ct);
        var now = time.GetUtcNow();
        var published = (await store.ListAsync(ct))
            .Where(k => k.Status is SigningKeyStatus.Next or SigningKeyStatus.Current
                || (k.Status == SigningKeyStatus.Previous && (k.RetireAt is null || k.RetireAt > now)))
            .Select(k => (k.Algorithm, k.Status, Jwk: new JsonWebKey(_protector.Unprotect(k.ProtectedJwk))))
            .ToList();
        var rsa = published.Last(k => k.Algorithm == SecurityAlgorithms.RsaSha256 && k.Status == SigningKeyStatus.Current).Jwk;
        _keys = new LoadedKeys(
            new SigningCredentials(rsa, SecurityAlgorithms.RsaSha256),
            new SigningCredentials(rsa, SecurityAlgorithms.RsaSsaPssSha256),
            published.Select(k => (SecurityKey)k.Jwk).ToList(),
            published.Select(k => ToPublic(k.Jwk, k.Algorithm)).ToList(),
            version);
    }

    private StoredSigningKey NewKey(string alg, string status)
    {
        var jwk = Create(alg);
        var now = time.GetUtcNow();
        return new StoredSigningKey(jwk.Kid, alg, _protector.Protect(JsonSerializer.Serialize(jwk)), now, status, now);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static JsonWebKey Create(string alg) => ServerJwk.New(rsa: alg == SecurityAlgorithms.RsaSha256, alg, "sig");

    /// <summary>
    /// The public half as published at <c>/jwks</c>. An RSA key signs RS256 for most clients and PS256 for FAPI 2.0 clients, and
    /// a JWK's <c>alg</c>, when present, names the one algorithm the key is for (RFC 7517 §4.4): strict verifiers (jose,
    /// oauth4webapi) then refuse to check a PS256 signature with it. So RSA keys are published without <c>alg</c> (kid and kty
    /// pick the key) rather than twice under two algs, which would show one key as two and make every rotation publish pairs;
    /// the EC key does one thing and keeps its <c>alg</c>.
    /// </summary>
    private static JsonWebKey ToPublic(JsonWebKey k, string alg) => ServerJwk.Public(k, "sig", k.Kty == JsonWebAlgorithmsKeyTypes.RSA ? null : alg);
}
