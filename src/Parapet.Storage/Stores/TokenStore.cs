using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>Codes, refresh tokens and revoked grants. Redemption and rotation are conditional UPDATEs.</summary>
internal sealed class TokenStore(IContextFactory contexts) : ITokenStore
{
    public async Task<(RedeemOutcome, AuthorizationCode?)> RedeemCodeAsync(string key, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        var redeemed = await db.AuthorizationCodes
            .Where(c => c.Key == key && c.RedeemedAt == null && c.ExpiresAt > nowMs)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RedeemedAt, nowMs), ct);
        var row = await db.AuthorizationCodes.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, ct);
        if (row is null)
        {
            return (RedeemOutcome.Unknown, null);
        }
        if (redeemed == 1)
        {
            return (RedeemOutcome.Redeemed, new AuthorizationCode(row.Key, row.ClientId, row.Subject, row.RedirectUri, row.Scope, row.Nonce,
                row.CodeChallenge, row.CodeChallengeMethod, Time.At(row.AuthTime), Time.At(row.ExpiresAt), row.GrantId, row.DpopJkt));
        }
        if (row.RedeemedAt is not null)
        {
            // RFC 6749 §4.1.2: a code used twice revokes the tokens issued from it.
            await RevokeGrantAsync(db, row.GrantId, nowMs, ct);
            return (RedeemOutcome.Replayed, null);
        }
        return (RedeemOutcome.Unknown, null);
    }

    public async Task AddRefreshTokenAsync(RefreshToken token, CancellationToken ct)
    {
        await using var db = contexts.Create();
        db.RefreshTokens.Add(new RefreshTokenEntity
        {
            Key = token.Key,
            ClientId = token.ClientId,
            Subject = token.Subject,
            Scope = token.Scope,
            AuthTime = Time.Ms(token.AuthTime),
            ExpiresAt = Time.Ms(token.ExpiresAt),
            GrantId = token.GrantId,
            IssuedAt = token.IssuedAt is { } issued ? Time.Ms(issued) : null,
            DpopJkt = token.DpopJkt,
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<(RedeemOutcome, RefreshToken?)> UseRefreshTokenAsync(string key, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        var used = await db.RefreshTokens
            .Where(t => t.Key == key && t.UsedAt == null && t.ExpiresAt > nowMs && !db.RevokedGrants.Any(g => g.GrantId == t.GrantId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, nowMs), ct);
        var row = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct);
        if (row is null)
        {
            return (RedeemOutcome.Unknown, null);
        }
        if (used == 1)
        {
            return (RedeemOutcome.Redeemed, new RefreshToken(row.Key, row.ClientId, row.Subject, row.Scope, Time.At(row.AuthTime), Time.At(row.ExpiresAt), row.GrantId,
                row.IssuedAt is { } issued ? Time.At(issued) : null, row.DpopJkt));
        }
        if (row.UsedAt is not null)
        {
            // RFC 9700 §4.14.2: reuse of a rotated refresh token revokes the whole family.
            await RevokeGrantAsync(db, row.GrantId, nowMs, ct);
            return (RedeemOutcome.Replayed, null);
        }
        return (RedeemOutcome.Unknown, null);
    }

    public async Task<RefreshTokenState?> FindRefreshTokenAsync(string key, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var row = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, ct);
        if (row is null)
        {
            return null;
        }
        var active = row.UsedAt is null && row.ExpiresAt > Time.Ms(now) && !await db.RevokedGrants.AnyAsync(g => g.GrantId == row.GrantId, ct);
        var token = new RefreshToken(row.Key, row.ClientId, row.Subject, row.Scope, Time.At(row.AuthTime), Time.At(row.ExpiresAt), row.GrantId,
            row.IssuedAt is { } issued ? Time.At(issued) : null, row.DpopJkt);
        return new RefreshTokenState(token, active);
    }

    public async Task<bool> IsGrantRevokedAsync(string grantId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.RevokedGrants.AnyAsync(g => g.GrantId == grantId, ct);
    }

    public async Task RevokeGrantAsync(string grantId, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        await RevokeGrantAsync(db, grantId, Time.Ms(now), ct);
    }

    private static async Task RevokeGrantAsync(ParapetDbContext db, string grantId, long nowMs, CancellationToken ct)
    {
        if (!await db.RevokedGrants.AnyAsync(g => g.GrantId == grantId, ct))
        {
            db.RevokedGrants.Add(new RevokedGrantEntity { GrantId = grantId, RevokedAt = nowMs });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another request revoked it at the same moment: the outcome is the same.
            }
        }
    }
}
