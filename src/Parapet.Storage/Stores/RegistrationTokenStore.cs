using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Storage;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>Initial access tokens. A use is one conditional UPDATE; the affected-row count decides, so parallel registrations never exceed the limit.</summary>
internal sealed class RegistrationTokenStore(IContextFactory contexts) : IRegistrationTokenStore
{
    public async Task AddAsync(InitialAccessToken token, CancellationToken ct)
    {
        await using var db = contexts.Create();
        db.RegistrationTokens.Add(new RegistrationTokenEntity
        {
            Id = token.Id,
            Hash = token.Hash,
            CreatedAt = Time.Ms(token.CreatedAt),
            ExpiresAt = token.ExpiresAt is { } e ? Time.Ms(e) : null,
            MaxUses = token.MaxUses,
            Uses = token.Uses,
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<InitialAccessToken>> ListAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.RegistrationTokens.AsNoTracking().OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(ct);
        return rows.Select(ToModel).ToList();
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.RegistrationTokens.Where(t => t.Id == id).ExecuteDeleteAsync(ct) == 1;
    }

    public async Task<InitialAccessToken?> FindUsableAsync(string hash, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        var row = await db.RegistrationTokens.AsNoTracking()
            .FirstOrDefaultAsync(t => t.Hash == hash && (t.ExpiresAt == null || t.ExpiresAt > nowMs) && (t.MaxUses == null || t.Uses < t.MaxUses), ct);
        return row is null ? null : ToModel(row);
    }

    public async Task<bool> UseAsync(string id, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        return await db.RegistrationTokens
            .Where(t => t.Id == id && (t.ExpiresAt == null || t.ExpiresAt > nowMs) && (t.MaxUses == null || t.Uses < t.MaxUses))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Uses, t => t.Uses + 1), ct) == 1;
    }

    private static InitialAccessToken ToModel(RegistrationTokenEntity t) =>
        new(t.Id, t.Hash, Time.At(t.CreatedAt), t.ExpiresAt is { } e ? Time.At(e) : null, t.MaxUses, t.Uses);
}
