using Microsoft.EntityFrameworkCore;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>A stored signing key; <see cref="ProtectedJwk"/> is the private JWK after Data Protection.</summary>
public sealed record StoredSigningKey(string KeyId, string Algorithm, string ProtectedJwk, DateTimeOffset CreatedAt);

/// <summary>Signing keys live in the database so every node signs alike (DESIGN §5).</summary>
public sealed class SigningKeyStore(IContextFactory contexts)
{
    public async Task<IReadOnlyList<StoredSigningKey>> ListAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.SigningKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return rows.Select(r => new StoredSigningKey(r.KeyId, r.Algorithm, r.ProtectedJwk, Time.At(r.CreatedAt))).ToList();
    }

    public async Task AddAsync(StoredSigningKey key, CancellationToken ct)
    {
        await using var db = contexts.Create();
        db.SigningKeys.Add(new SigningKeyEntity { KeyId = key.KeyId, Algorithm = key.Algorithm, ProtectedJwk = key.ProtectedJwk, CreatedAt = Time.Ms(key.CreatedAt) });
        await db.SaveChangesAsync(ct);
    }
}
