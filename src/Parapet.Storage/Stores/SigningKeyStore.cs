using Microsoft.EntityFrameworkCore;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>
/// The life of a signing key: published as <see cref="Next"/> before it ever signs, <see cref="Current"/> while it signs,
/// <see cref="Previous"/> while tokens it signed may still be presented, then <see cref="Retired"/> (private part erased).
/// </summary>
public static class SigningKeyStatus
{
    public const string Next = "next";
    public const string Current = "current";
    public const string Previous = "previous";
    public const string Retired = "retired";
}

/// <summary>A stored signing key; <see cref="ProtectedJwk"/> is the private JWK after Data Protection (empty once retired).</summary>
public sealed record StoredSigningKey(
    string KeyId,
    string Algorithm,
    string ProtectedJwk,
    DateTimeOffset CreatedAt,
    string Status,
    DateTimeOffset ChangedAt,
    DateTimeOffset? RetireAt = null);

/// <summary>What changes whenever the key set changes: a node compares it every second to know when to reload.</summary>
public readonly record struct KeySetVersion(long LastChange, int Count);

/// <summary>
/// Signing keys live in the database so every node signs alike (DESIGN §5). The table also holds the encryption keys
/// (<see cref="EncryptionKeyStore"/>, told apart by their JWE algorithm); this store neither lists nor counts them, so
/// rotation, retirement and the admin key list concern signing keys only.
/// </summary>
public sealed class SigningKeyStore(IContextFactory contexts)
{
    private static IQueryable<SigningKeyEntity> Signing(ParapetDbContext db) =>
        db.SigningKeys.Where(k => !EncryptionKeyStore.Algorithms.Contains(k.Algorithm));

    public async Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await Signing(db).AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return rows.Select(Stored).ToList();
    }

    public async Task<KeySetVersion> VersionAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var last = await Signing(db).MaxAsync(k => (long?)k.ChangedAt, ct) ?? 0;
        return new KeySetVersion(last, await Signing(db).CountAsync(ct));
    }

    public async Task AddAsync(StoredSigningKey key, CancellationToken ct)
    {
        await using var db = contexts.Create();
        db.SigningKeys.Add(Entity(key));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// One rotation, all algorithms at once, in one transaction: each algorithm's next key becomes current, its current key
    /// becomes previous until <paramref name="retireAt"/>, and <paramref name="newNext"/> are published as the next keys.
    /// The conditional promotion decides: when another node rotated first, nothing changes and the answer is false.
    /// </summary>
    public async Task<bool> RotateAsync(IReadOnlyList<(string PromotedKeyId, StoredSigningKey NewNext)> rotations, DateTimeOffset now, DateTimeOffset retireAt, CancellationToken ct)
    {
        await using var db = contexts.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var nowMs = Time.Ms(now);
        var retireMs = Time.Ms(retireAt);
        foreach (var (promoted, newNext) in rotations)
        {
            var won = await db.SigningKeys
                .Where(k => k.KeyId == promoted && k.Status == SigningKeyStatus.Next)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Status, SigningKeyStatus.Current).SetProperty(k => k.ChangedAt, nowMs), ct);
            if (won != 1)
            {
                await transaction.RollbackAsync(ct);
                return false;
            }
            await db.SigningKeys
                .Where(k => k.Algorithm == newNext.Algorithm && k.Status == SigningKeyStatus.Current && k.KeyId != promoted)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(k => k.Status, SigningKeyStatus.Previous)
                    .SetProperty(k => k.ChangedAt, nowMs)
                    .SetProperty(k => k.RetireAt, retireMs), ct);
            db.SigningKeys.Add(Entity(newNext));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Retires the previous keys whose tokens have all expired, erasing their private part; returns how many.</summary>
    public async Task<int> RetireExpiredAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        return await db.SigningKeys
            .Where(k => k.Status == SigningKeyStatus.Previous && k.RetireAt <= nowMs)
            .ExecuteUpdateAsync(s => s
                .SetProperty(k => k.Status, SigningKeyStatus.Retired)
                .SetProperty(k => k.ChangedAt, nowMs)
                .SetProperty(k => k.ProtectedJwk, ""), ct);
    }

    internal static StoredSigningKey Stored(SigningKeyEntity r) => new(r.KeyId, r.Algorithm, r.ProtectedJwk, Time.At(r.CreatedAt), r.Status, Time.At(r.ChangedAt),
        r.RetireAt is { } retire ? Time.At(retire) : null);

    internal static SigningKeyEntity Entity(StoredSigningKey key) => new()
    {
        KeyId = key.KeyId,
        Algorithm = key.Algorithm,
        ProtectedJwk = key.ProtectedJwk,
        CreatedAt = Time.Ms(key.CreatedAt),
        Status = key.Status,
        ChangedAt = Time.Ms(key.ChangedAt),
        RetireAt = key.RetireAt is { } retire ? Time.Ms(retire) : null,
    };
}
