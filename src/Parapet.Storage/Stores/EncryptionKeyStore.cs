using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Jose;

namespace Parapet.Storage.Stores;

/// <summary>
/// The server's encryption keys (request objects encrypted to the server, RFC 9101 §6.1), shared by every node. They live in
/// the signing-key table, which already has what a key needs (kid, algorithm, the private JWK under Data Protection, times),
/// told apart by their JWE algorithm, so no schema change was needed. They stay <c>current</c>: there is no rotation yet.
/// </summary>
public sealed class EncryptionKeyStore(IContextFactory contexts)
{
    /// <summary>The algorithms that mark a row as an encryption key.</summary>
    public static readonly string[] Algorithms = [.. JweAlgorithms.KeyManagement];

    public async Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.SigningKeys.AsNoTracking()
            .Where(k => Algorithms.Contains(k.Algorithm) && k.Status == SigningKeyStatus.Current)
            .OrderBy(k => k.CreatedAt)
            .ToListAsync(ct);
        return rows.Select(SigningKeyStore.Stored).ToList();
    }

    public async Task AddAsync(StoredSigningKey key, CancellationToken ct)
    {
        if (!Algorithms.Contains(key.Algorithm))
        {
            throw new ArgumentException($"'{key.Algorithm}' is not an encryption algorithm.", nameof(key));
        }
        await using var db = contexts.Create();
        db.SigningKeys.Add(SigningKeyStore.Entity(key with { Status = SigningKeyStatus.Current, RetireAt = null }));
        await db.SaveChangesAsync(ct);
    }
}
