using System.Data.Common;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// Keeps SQLite's write-ahead log short under sustained pushes. The background <see cref="SqliteCheckpointer"/> copies the
/// log into the database file, but while the writer keeps appending it never reaches the log's end, and SQLite reuses the
/// log from its start only after a checkpoint that did: under load the log grew without bound (930 MB after 20 s of
/// POST /par, with the wal-index mapped in memory growing along), and every page read searched one more wal-index table per
/// 4,096 frames. Run between the writer's batches, a PASSIVE checkpoint on the writer's own connection sees no new frames
/// arrive, copies the rest, and the writer's next transaction starts the log over (<c>journal_size_limit</c> trims the file).
/// </summary>
internal sealed class WalRestart(DbConnection connection, int rowsPerRestart = WalRestart.RowsPerRestart) : IDisposable
{
    /// <summary>
    /// Rows between two restarts. The writer's callers wait while it checkpoints (two fsyncs, ~1-5 ms on this disk, now and
    /// then 100+), so the interval trades the number of stalls against their length. While every push wrote its own random
    /// index page, every 2,000 rows gave POST /par a p99 of 35-41 ms and every 64 rows 5-7 ms. Since request-URI keys are in
    /// the order of issue, a batch dirties a few pages at the end of each index, and 1,024 rows copy fewer pages than 64 used
    /// to: the writer's CPU per push fell from ~15 to ~8 µs with the same p99 (bench/README.md).
    /// </summary>
    internal const int RowsPerRestart = 1024;

    /// <summary>After a checkpoint that could not finish (the background one held the lock, or a reader an old snapshot).</summary>
    private const int RowsBeforeRetry = 64;

    private readonly DbCommand _checkpoint = connection.CreateCommand();
    private int _rowsSinceRestart;

    /// <summary>Called by the writer after it answered a batch of <paramref name="rows"/>: that batch's callers never wait for the copy.</summary>
    public void AfterBatch(int rows)
    {
        _rowsSinceRestart += rows;
        if (_rowsSinceRestart < rowsPerRestart)
        {
            return;
        }
        _rowsSinceRestart = WalCheckpoint.Run(_checkpoint).Complete ? 0 : rowsPerRestart - RowsBeforeRetry;
    }

    public void Dispose() => _checkpoint.Dispose();
}
