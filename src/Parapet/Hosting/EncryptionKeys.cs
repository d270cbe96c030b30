using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Jose;
using Parapet.Storage.Stores;

namespace Parapet.Hosting;

/// <summary>
/// The server's encryption keys, one per JWE algorithm (RSA 2048 for RSA-OAEP-256, P-256 for ECDH-ES), made at first start
/// and kept in the database with the private parts under Data Protection, like the signing keys, so a request object
/// encrypted to any node's published key decrypts on every node.
/// </summary>
internal sealed class EncryptionKeys(EncryptionKeyStore store, IDataProtectionProvider protection, TimeProvider time, ILogger<EncryptionKeys> logger) : IEncryptionKeys
{
    internal const string Purpose = "parapet.encryption-keys";

    /// <summary>
    /// An unknown kid reloads the stored keys at most this often: two nodes starting together may each have made a key,
    /// and a client may have fetched the other's from <c>/jwks</c>; a stream of made-up kids must not become database load.
    /// </summary>
    private static readonly TimeSpan MinimumReloadInterval = TimeSpan.FromSeconds(10);

    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);
    private volatile Loaded? _keys;

    private sealed record Loaded(IReadOnlyList<JsonWebKey> Private, IReadOnlyList<JsonWebKey> Public, DateTimeOffset At);

    public IReadOnlyList<JsonWebKey> PublicJwks => (_keys ?? throw new InvalidOperationException("Encryption keys are not loaded.")).Public;

    /// <summary>At start: a key for each algorithm that has none yet, then load.</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        var stored = await store.ListAsync(ct);
        foreach (var alg in JweAlgorithms.KeyManagement.Where(alg => !stored.Any(k => k.Algorithm == alg)))
        {
            var jwk = Create(alg);
            var now = time.GetUtcNow();
            await store.AddAsync(new StoredSigningKey(jwk.Kid, alg, _protector.Protect(JsonSerializer.Serialize(jwk)), now, SigningKeyStatus.Current, now), ct);
            logger.LogInformation("Created the {Alg} encryption key {Kid}", alg, jwk.Kid);
        }
        await LoadAsync(ct);
    }

    public async Task<JsonWebKey?> FindAsync(string? kid, string alg, CancellationToken ct)
    {
        var found = Find(_keys, kid, alg);
        if (found is null && _keys is { } loaded && time.GetUtcNow() - loaded.At >= MinimumReloadInterval)
        {
            await LoadAsync(ct);
            found = Find(_keys, kid, alg);
        }
        return found;
    }

    /// <summary>By kid when given (RFC 7516 §4.1.6), else the newest key for the algorithm.</summary>
    private static JsonWebKey? Find(Loaded? keys, string? kid, string alg) => kid is null
        ? keys?.Private.LastOrDefault(k => k.Alg == alg)
        : keys?.Private.FirstOrDefault(k => k.Kid == kid);

    private async Task LoadAsync(CancellationToken ct)
    {
        var keys = (await store.ListAsync(ct)).Select(k => new JsonWebKey(_protector.Unprotect(k.ProtectedJwk))).ToList();
        _keys = new Loaded(keys, keys.Select(ToPublic).ToList(), time.GetUtcNow());
    }

    private static JsonWebKey Create(string alg) => ServerJwk.New(rsa: alg == JweAlgorithms.RsaOaep256, alg, "enc");

    private static JsonWebKey ToPublic(JsonWebKey k) => ServerJwk.Public(k, "enc", k.Alg);
}
