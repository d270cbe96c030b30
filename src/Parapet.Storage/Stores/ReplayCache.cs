using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Storage;

namespace Parapet.Storage.Stores;

/// <summary>
/// Spent one-time identifiers in the shared database, so a replay is refused whichever node it reaches. One statement decides:
/// the insert succeeds, or it meets the unique key and changes nothing unless the row it meets has expired (a row the sweeper
/// has not reached yet must not block a later, legitimate reuse). Both SQLite and PostgreSQL speak this upsert.
/// </summary>
internal sealed class ReplayCache(IContextFactory contexts) : IReplayCache
{
    public async Task<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var expires = Time.Ms(expiresAt);
        var nowMs = Time.Ms(now);
        var affected = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO used_jtis ("Key", "ExpiresAt") VALUES ({key}, {expires})
            ON CONFLICT ("Key") DO UPDATE SET "ExpiresAt" = excluded."ExpiresAt" WHERE used_jtis."ExpiresAt" <= {nowMs}
            """, ct);
        return affected == 1;
    }
}
