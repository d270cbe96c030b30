using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// Copies SQLite's write-ahead log into the database file twice a second, on a thread and a connection of its own, off the
/// request path. PASSIVE: it never blocks readers or writers; the fsyncs a checkpoint needs (the log before copying, the
/// database after) are waited for by this thread, never by a thread-pool worker that requests need.
/// </summary>
/// <remarks>
/// Under sustained pushes the checkpoints of the file the push writer left (<see cref="AlternatingLogs"/>) do most of the copying. Running
/// this one continuously instead (every 50 ms) was tried: its large copies queued so much writeback on this disk that every
/// fsync, the writer's too, took 5-13 ms, and POST /par's p99 went from ~5 to 14-17 ms (bench/README.md).
/// </remarks>
internal sealed class SqliteCheckpointer(IContextFactory contexts, SqliteFiles files, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Log length (frames of 4 KB: 64 MB) past which the log is started over even if writers must wait for it. The push
    /// writer's alternation (<see cref="AlternatingLogs"/>) keeps the logs short under pushes alone, but under the full flow the
    /// claims, codes and tokens of other connections commit all the time, so no PASSIVE checkpoint ever reached the log's
    /// end: it grew by ~15 MB/s (720 MB in 45 s). A RESTART checkpoint holds writers back for its copy and fsyncs (a few ms
    /// to tens of ms on this disk), here at most every few seconds and only under such load.
    /// </summary>
    internal const long MaxFramesBeforeRestart = 16_384;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Its own thread: SQLite's I/O blocks the caller, and a thread-pool worker blocked in an fsync is one the server's
        // requests do not have (on one core there may be just one).
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        ParapetDbContext? db = null;
        while (!stoppingToken.WaitHandle.WaitOne(Interval))
        {
            try
            {
                db ??= Open();
                CheckpointOnce(db.Database.GetDbConnection(), MaxFramesBeforeRestart);
                if (files.SecondPath is not null)
                {
                    CheckpointOnce(db.Database.GetDbConnection(), MaxFramesBeforeRestart, SqliteFiles.SecondSchema);
                }
            }
            catch (Exception e)
            {
                logger.LogWarning("SQLite checkpoint failed ({Reason}); retrying", e.Message);
                db?.Dispose();
                db = null;
            }
        }
        db?.Dispose();
    }

    /// <summary>A PASSIVE checkpoint, then a RESTART one when the log is longer than <paramref name="maxFrames"/>.</summary>
    internal static void CheckpointOnce(System.Data.Common.DbConnection connection, long maxFrames, string schema = "main")
    {
        if (WalCheckpoint.Run(connection, schema: schema).LogFrames > maxFrames)
        {
            WalCheckpoint.Run(connection, restart: true, schema);
        }
    }

    private ParapetDbContext Open()
    {
        var db = contexts.Create();
        try
        {
            db.Database.OpenConnection();
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }
}
