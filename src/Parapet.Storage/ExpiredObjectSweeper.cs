using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parapet.Protocol.Properties;
using Parapet.Storage.Stores;

namespace Parapet.Storage;

/// <summary>
/// Deletes expired pushed requests, codes, refresh tokens and spent assertion ids in batches of <c>cleanServiceBatchChunkSize</c>,
/// every <c>cleanServiceInterval</c> seconds. Small batches keep each write short so the hot path is not blocked.
/// </summary>
public sealed class ExpiredObjectSweeper(IContextFactory contexts, PushedRequestTables pushedRequests, IPropertySource properties, TimeProvider time, ILogger<ExpiredObjectSweeper> logger) : BackgroundService
{
    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        var p = properties.Current.Properties;
        var now = Time.Ms(time.GetUtcNow());
        var batch = p.CleanServiceBatchChunkSize;
        await using var db = contexts.Create();
        // Not IsNpgsql(): the embedded store would load the PostgreSQL provider's assembly for it (StorageRegistration).
        if (db is Postgres.PostgresParapetDbContext)
        {
            // One node at a time (DESIGN §5): the others skip this round.
            await db.Database.OpenConnectionAsync(ct);
            var locked = await db.Database.SqlQueryRaw<bool>($"SELECT pg_try_advisory_lock({Postgres.AdvisoryLocks.Sweeper}) AS \"Value\"").SingleAsync(ct);
            if (!locked)
            {
                return 0;
            }
            try
            {
                return await DeleteExpiredAsync(db, pushedRequests, now, batch, ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({Postgres.AdvisoryLocks.Sweeper})", CancellationToken.None);
            }
        }
        return await DeleteExpiredAsync(db, pushedRequests, now, batch, ct);
    }

    private static async Task<int> DeleteExpiredAsync(ParapetDbContext db, PushedRequestTables pushedRequestTables, long now, int batch, CancellationToken ct)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await PushedRequestStore.DeleteExpiredAsync(db, pushedRequestTables, now, batch, ct);
            total += deleted;
        }
        // A batch from each table: a full one from either means there may be more.
        while (deleted >= batch);
        do
        {
            deleted = await db.AuthorizationCodes
                .Where(r => db.AuthorizationCodes.Where(x => x.ExpiresAt <= now).OrderBy(x => x.ExpiresAt).Select(x => x.Key).Take(batch).Contains(r.Key))
                .ExecuteDeleteAsync(ct);
            total += deleted;
        }
        while (deleted == batch);
        do
        {
            deleted = await db.RefreshTokens
                .Where(r => db.RefreshTokens.Where(x => x.ExpiresAt <= now).OrderBy(x => x.ExpiresAt).Select(x => x.Key).Take(batch).Contains(r.Key))
                .ExecuteDeleteAsync(ct);
            total += deleted;
        }
        while (deleted == batch);
        do
        {
            deleted = await db.UsedJtis
                .Where(r => db.UsedJtis.Where(x => x.ExpiresAt <= now).OrderBy(x => x.ExpiresAt).Select(x => x.Key).Take(batch).Contains(r.Key))
                .ExecuteDeleteAsync(ct);
            total += deleted;
        }
        while (deleted == batch);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(properties.Current.Properties.CleanServiceInterval), TimeProvider.System, stoppingToken);
                var removed = await SweepOnceAsync(stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Swept {Count} expired objects", removed);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Sweeping expired objects failed; will retry");
            }
        }
    }
}
