using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Clients;

/// <summary>
/// Verifies JWTs a client signed with its own keys (<c>private_key_jwt</c> assertions, request objects): the keys come from
/// its registered <c>jwks</c>, or from its <c>jwks_uri</c>, fetched and kept for <see cref="CacheLifetime"/> per client. A
/// <c>kid</c> the cached set lacks triggers one refetch, so a client can rotate keys without waiting for the cache.
/// </summary>
public sealed class ClientKeyResolver(IJwksFetcher fetcher, TimeProvider time)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Refetches on an unknown kid happen at most this often per client, so a stream of made-up kids cannot turn the server
    /// into a load generator against the client's key server.
    /// </summary>
    public static readonly TimeSpan MinimumRefetchInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The algorithms a client may sign with its own key (assertions and request objects); FAPI 2.0 §5.4.1 allows only PS256
    /// and ES256. <paramref name="fapi"/>: <see cref="Fapi.FapiProfile.AppliesTo"/> for the client (discovery: the server's switch).
    /// </summary>
    public static IReadOnlyList<string> Algorithms(bool fapi) => fapi ? Fapi.FapiProfile.SigningAlgorithms : ["RS256", "PS256", "ES256"];

    private readonly ConcurrentDictionary<string, CachedKeys> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RegisteredKeys> _registered = new(StringComparer.Ordinal);

    /// <summary>Null when the signature verifies with one of the client's keys; otherwise why not, for the log.</summary>
    public async Task<string?> VerifyAsync(JsonWebToken token, Client client, string algorithm, CancellationToken ct)
    {
        var keys = await KeysAsync(client, refresh: false, ct);
        if (keys is null)
        {
            return client.JwksUri is null ? "the client has no usable keys (jwks)" : "the client's jwks_uri could not be fetched or is not a JWK Set";
        }
        var candidates = Select(keys, token, algorithm);
        if (candidates.Count == 0 && client.JwksUri is not null)
        {
            keys = await KeysAsync(client, refresh: true, ct) ?? keys;
            candidates = Select(keys, token, algorithm);
        }
        if (candidates.Count == 0)
        {
            return string.IsNullOrEmpty(token.Kid) ? $"the client has no key for alg {algorithm}" : $"the client has no key with kid '{token.Kid}' for alg {algorithm}";
        }
        return await JwtSignature.VerifiesAsync(token, candidates, algorithm) ? null : "bad signature";
    }

    /// <summary>
    /// RFC 8705 §2.2: true when the DER certificate is the first <c>x5c</c> element of one of the client's keys. A miss against
    /// a <c>jwks_uri</c> refetches once (rate-limited as for kids), so a client can roll its certificate.
    /// </summary>
    public async Task<bool> HasCertificateAsync(Client client, byte[] certificate, CancellationToken ct)
    {
        var keys = await KeysAsync(client, refresh: false, ct);
        if (keys is not null && Contains(keys, certificate))
        {
            return true;
        }
        return client.JwksUri is not null && await KeysAsync(client, refresh: true, ct) is { } fresh && Contains(fresh, certificate);
    }

    private static bool Contains(IReadOnlyList<JsonWebKey> keys, byte[] certificate) =>
        keys.Any(k => k.X5c.Count > 0 && FirstCertificate(k.X5c[0]) is { } der && der.AsSpan().SequenceEqual(certificate));

    /// <summary>RFC 7517 §4.7: x5c holds standard base64 (not base64url) DER.</summary>
    private static byte[]? FirstCertificate(string x5c)
    {
        var buffer = new byte[x5c.Length];
        return Convert.TryFromBase64String(x5c, buffer, out var length) ? buffer[..length] : null;
    }

    /// <summary>Keys of the family the algorithm needs, and with the token's kid when it names one (RFC 7515 §4.1.4).</summary>
    private static List<SecurityKey> Select(IReadOnlyList<JsonWebKey> keys, JsonWebToken token, string algorithm)
    {
        var kty = algorithm.StartsWith("ES", StringComparison.Ordinal) ? JsonWebAlgorithmsKeyTypes.EllipticCurve : JsonWebAlgorithmsKeyTypes.RSA;
        return keys
            .Where(k => k.Kty == kty && k.Use is null or "" or "sig" && (string.IsNullOrEmpty(token.Kid) || k.Kid == token.Kid))
            .Cast<SecurityKey>()
            .ToList();
    }

    private async Task<IReadOnlyList<JsonWebKey>?> KeysAsync(Client client, bool refresh, CancellationToken ct)
    {
        if (client.Jwks is not null)
        {
            return Registered(client);
        }
        if (client.JwksUri is null || !Uri.TryCreate(client.JwksUri, UriKind.Absolute, out var uri))
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(client.ClientId, out var cached) && cached.Uri == client.JwksUri)
        {
            var age = now - cached.FetchedAt;
            if (age < CacheLifetime && (!refresh || age < MinimumRefetchInterval))
            {
                return cached.Keys;
            }
        }
        var keys = Parse(await fetcher.FetchAsync(uri, ct));
        if (keys is not null)
        {
            _cache[client.ClientId] = new CachedKeys(client.JwksUri, keys, now);
        }
        return keys;
    }

    /// <summary>
    /// A client's registered <c>jwks</c>, parsed once per text: parsing and the key objects it makes cost more than verifying
    /// an ES256 signature (bench auth-methods), and the same keys then keep IdentityModel's cached crypto providers warm.
    /// </summary>
    private IReadOnlyList<JsonWebKey>? Registered(Client client)
    {
        if (_registered.TryGetValue(client.ClientId, out var cached) && cached.Jwks == client.Jwks)
        {
            return cached.Keys;
        }
        var keys = Parse(client.Jwks);
        _registered[client.ClientId] = new RegisteredKeys(client.Jwks!, keys);
        return keys;
    }

    private sealed record RegisteredKeys(string Jwks, IReadOnlyList<JsonWebKey>? Keys);

    /// <summary>The public keys of a JWK Set; null when the text is not one (RFC 7517 §5).</summary>
    private static IReadOnlyList<JsonWebKey>? Parse(string? jwks)
    {
        if (string.IsNullOrWhiteSpace(jwks))
        {
            return null;
        }
        try
        {
            var set = new JsonWebKeySet(jwks);
            return set.Keys.Where(k => !k.HasPrivateKey && k.Kty != JsonWebAlgorithmsKeyTypes.Octet).ToList();
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or FormatException)
        {
            return null;
        }
    }

    private sealed record CachedKeys(string Uri, IReadOnlyList<JsonWebKey> Keys, DateTimeOffset FetchedAt);
}
