using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// Copies the SQLite write-ahead log into the database file twice a second, off the request path (PASSIVE: it never blocks
/// readers or writers). Requests then only append to the WAL; the fsync a checkpoint needs happens here.
/// </summary>
internal sealed class SqliteCheckpointer(IContextFactory contexts, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // shutting down
            }
            try
            {
                await using var db = contexts.Create();
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("SQLite checkpoint failed ({Reason}); retrying", e.Message);
            }
        }
    }
}
