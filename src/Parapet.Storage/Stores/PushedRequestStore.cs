using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Par;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>
/// Pushed requests in the database. Claim and consume are each one conditional UPDATE; the affected row decides, never a read
/// followed by a write (Keycloak's single atomic "remove and return", DESIGN §2.2.3). Each runs against the tables of
/// <see cref="PushedRequestTables"/> in turn (the embedded store has two, one per file); the column names are EF's, and
/// migrations own the schema.
/// </summary>
internal sealed class PushedRequestStore(IContextFactory contexts, PushedRequestWriter writer, PushedRequestTables tables) : IPushedRequestStore
{
    public Task AddAsync(PushedRequest request, CancellationToken ct) => writer.AddAsync(request);

    public async Task<(ClaimOutcome, PushedRequest?)> ClaimAsync(string key, string clientId, string browser, DateTimeOffset now, DateTimeOffset claimedUntil, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        foreach (var table in tables.StartingWith(writer.TableFor(key)))
        {
            // The first claim stretches the life to the login transaction's (DESIGN §2.1.7); a reload keeps it. RETURNING
            // gives the row as claimed in the same statement (SQLite 3.35+, PostgreSQL).
            var claimed = await db.PushedRequests.FromSqlRaw(table.Claim, Time.Ms(claimedUntil), browser, key, clientId, nowMs).ToListAsync(ct);
            if (claimed.Count == 1)
            {
                return (ClaimOutcome.Claimed, ToModel(claimed[0]));
            }
        }
        // Only diagnosis from here on: the decision was the UPDATE's.
        var row = await FindAsync(db, key, ct);
        if (row is null || row.ConsumedAt is not null || row.ExpiresAt <= nowMs)
        {
            return (ClaimOutcome.Unknown, null);
        }
        return row.ClientId != clientId ? (ClaimOutcome.OtherClient, null) : (ClaimOutcome.ClaimedByAnotherBrowser, null);
    }

    public async Task<bool> ConsumeAsync(string key, string browser, DateTimeOffset now, AuthorizationCode? code, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        foreach (var table in tables.StartingWith(writer.TableFor(key)))
        {
            // The database's own table shares it with the codes: request spent and code stored in one transaction. The
            // second file's commit is its own, so there the request is spent first and the code stored after: a crash in
            // between loses the code (the user starts over), never leaves a code beside a request still good for another.
            await using var transaction = table.IsMain ? await db.Database.BeginTransactionAsync(ct) : null;
            var consumed = await db.Database.ExecuteSqlRawAsync(table.Consume, [nowMs, key, browser], ct);
            if (consumed != 1)
            {
                continue;
            }
            await StoreAsync(db, code, ct);
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }
            return true;
        }
        return false;
    }

    public async Task<IReadOnlyList<PushedRequest>> ListActiveAsync(string? clientId, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var nowMs = Time.Ms(now);
        var rows = new List<PushedRequestEntity>();
        foreach (var table in tables.All)
        {
            var query = Rows(db, table).Where(r => r.ConsumedAt == null && r.ExpiresAt > nowMs);
            if (clientId is not null)
            {
                query = query.Where(r => r.ClientId == clientId);
            }
            rows.AddRange(await query.OrderByDescending(r => r.CreatedAt).Take(limit).ToListAsync(ct));
        }
        return [.. rows.OrderByDescending(r => r.CreatedAt).Take(limit).Select(ToModel)];
    }

    public async Task<bool> RevokeAsync(string key, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var deleted = 0;
        foreach (var table in tables.All)
        {
            deleted += await db.Database.ExecuteSqlRawAsync(table.Delete, [key], ct);
        }
        return deleted == 1;
    }

    /// <summary>Deletes up to <paramref name="batch"/> expired requests from each table; the number deleted.</summary>
    internal static async Task<int> DeleteExpiredAsync(ParapetDbContext db, PushedRequestTables tables, long now, int batch, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var table in tables.All)
        {
            deleted += await db.Database.ExecuteSqlRawAsync(table.DeleteExpired, [now, batch], ct);
        }
        return deleted;
    }

    private async Task<PushedRequestEntity?> FindAsync(ParapetDbContext db, string key, CancellationToken ct)
    {
        foreach (var table in tables.StartingWith(writer.TableFor(key)))
        {
            if (await Rows(db, table).FirstOrDefaultAsync(r => r.Key == key, ct) is { } row)
            {
                return row;
            }
        }
        return null;
    }

    /// <summary>The rows of one table, for LINQ to compose on (the second file's through a subquery EF Core wraps).</summary>
    private static IQueryable<PushedRequestEntity> Rows(ParapetDbContext db, PushedRequestTable table) =>
        table.IsMain ? db.PushedRequests : db.PushedRequests.FromSqlRaw(table.SelectAll);

    private static async Task StoreAsync(ParapetDbContext db, AuthorizationCode? code, CancellationToken ct)
    {
        if (code is null)
        {
            return;
        }
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

    private static PushedRequest ToModel(PushedRequestEntity r) => new(
        r.Key, r.ClientId, JsonSerializer.Deserialize(r.Request, RequestJson.Default.AuthorizationRequest)!, Time.At(r.CreatedAt), Time.At(r.ExpiresAt),
        r.ViaPar, r.RedirectUriRegistered, r.ClaimedBy, r.ConsumedAt is { } c ? Time.At(c) : null);
}
