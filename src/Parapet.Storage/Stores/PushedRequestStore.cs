using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Par;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>
/// Pushed requests in the database. Claim and consume are each one conditional UPDATE; the affected-row count decides,
/// never a read followed by a write (Keycloak's single atomic "remove and return", DESIGN §2.2.3).
/// </summary>
internal sealed class PushedRequestStore(IContextFactory contexts, PushedRequestWriter writer) : IPushedRequestStore
{
    public Task AddAsync(PushedRequest request, CancellationToken ct) => writer.AddAsync(request);

    public async Task<(ClaimOutcome, PushedRequest?)> ClaimAsync(string key, string clientId, string browser, DateTimeOffset now, DateTimeOffset claimedUntil, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        var untilMs = Time.Ms(claimedUntil);
        // The first claim stretches the life to the login transaction's (DESIGN §2.1.7); a reload keeps it.
        var claimed = await db.PushedRequests
            .Where(r => r.Key == key && r.ClientId == clientId && r.ConsumedAt == null && r.ExpiresAt > nowMs
                && (r.ClaimedBy == null || r.ClaimedBy == browser))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ExpiresAt, r => r.ClaimedBy == null ? untilMs : r.ExpiresAt)
                .SetProperty(r => r.ClaimedBy, browser), ct);
        var row = await db.PushedRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, ct);
        if (claimed == 1 && row is not null)
        {
            return (ClaimOutcome.Claimed, ToModel(row));
        }
        // Only diagnosis from here on: the decision was the UPDATE's.
        if (row is null || row.ConsumedAt is not null || row.ExpiresAt <= nowMs)
        {
            return (ClaimOutcome.Unknown, null);
        }
        return row.ClientId != clientId ? (ClaimOutcome.OtherClient, null) : (ClaimOutcome.ClaimedByAnotherBrowser, null);
    }

    public async Task<bool> ConsumeAsync(string key, string browser, DateTimeOffset now, AuthorizationCode? code, CancellationToken ct)
    {
        await using var db = contexts.Create();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var nowMs = Time.Ms(now);
        var consumed = await db.PushedRequests
            .Where(r => r.Key == key && r.ClaimedBy == browser && r.ConsumedAt == null && r.ExpiresAt > nowMs)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ConsumedAt, nowMs), ct);
        if (consumed != 1)
        {
            return false;
        }
        if (code is not null)
        {
            db.AuthorizationCodes.Add(new AuthorizationCodeEntity
            {
                Key = code.Key,
                ClientId = code.ClientId,
                Subject = code.Subject,
                RedirectUri = code.RedirectUri,
                Scope = code.Scope,
                Nonce = code.Nonce,
                CodeChallenge = code.CodeChallenge,
                CodeChallengeMethod = code.CodeChallengeMethod,
                AuthTime = Time.Ms(code.AuthTime),
                ExpiresAt = Time.Ms(code.ExpiresAt),
                GrantId = code.GrantId,
                DpopJkt = code.DpopJkt,
            });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<PushedRequest>> ListActiveAsync(string? clientId, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        var query = db.PushedRequests.AsNoTracking().Where(r => r.ConsumedAt == null && r.ExpiresAt > nowMs);
        if (clientId is not null)
        {
            query = query.Where(r => r.ClientId == clientId);
        }
        var rows = await query.OrderByDescending(r => r.CreatedAt).Take(limit).ToListAsync(ct);
        return rows.Select(ToModel).ToList();
    }

    public async Task<bool> RevokeAsync(string key, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.PushedRequests.Where(r => r.Key == key).ExecuteDeleteAsync(ct) == 1;
    }

    private static PushedRequest ToModel(PushedRequestEntity r) => new(
        r.Key, r.ClientId, JsonSerializer.Deserialize(r.Request, RequestJson.Default.AuthorizationRequest)!, Time.At(r.CreatedAt), Time.At(r.ExpiresAt),
        r.ViaPar, r.RedirectUriRegistered, r.ClaimedBy, r.ConsumedAt is { } c ? Time.At(c) : null);
}
