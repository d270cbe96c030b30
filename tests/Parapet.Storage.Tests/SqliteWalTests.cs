using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Parapet.Protocol.Storage;
using Parapet.Storage.Sqlite;

namespace Parapet.Storage.Tests;

/// <summary>
/// SQLite's write-ahead log must not grow without bound under sustained writes. A log restart shows in its header: the
/// checkpoint sequence number (bytes 12-15, big-endian) goes up each time the log starts over from its first frame.
/// </summary>
public sealed class SqliteWalTests : IDisposable
{
    private const int Threshold = 100;
    private const int Rows = 5 * Threshold;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "parapet-wal-" + Guid.NewGuid().ToString("N")[..8]);

    public SqliteWalTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void Without_a_checkpoint_between_batches_the_log_only_grows()
    {
        var (restarts, frames) = WriteRows(withRestart: false);

        Assert.Equal(0, restarts);
        Assert.True(frames >= Rows, $"{frames} frames for {Rows} commits");
    }

    [Fact]
    public void A_checkpoint_between_batches_starts_the_log_over_and_bounds_it()
    {
        var (restarts, frames) = WriteRows(withRestart: true);

        Assert.True(restarts >= Rows / Threshold - 1, $"{restarts} restarts");
        // Each commit appends at least one frame, so fewer frames than commits means the log was reused.
        Assert.True(frames < Rows, $"{frames} frames for {Rows} commits");
    }

    [Fact]
    public async Task The_push_writer_keeps_the_log_short_under_concurrent_pushes()
    {
        await using var binding = await StoreBinding.SqliteAsync();
        var store = binding.Get<IPushedRequestStore>();
        var wal = Path.Combine(binding.DataDirectory!, "parapet.db-wal");
        var now = DateTimeOffset.UtcNow;
        // The log file is empty (no header to read) until the first commit after every connection closed; one push writes it.
        await store.AddAsync(StoreContract.Pushed(now), CancellationToken.None);
        var before = CheckpointSequence(wal);
        const int rows = 4 * WalRestart.RowsPerRestart;

        // 32 callers at once, as under load: the writer always has the next batch waiting, so the background checkpointer
        // alone would not reach the end of the log.
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= rows)
            {
                await store.AddAsync(StoreContract.Pushed(now), CancellationToken.None);
            }
        })));

        Assert.True(CheckpointSequence(wal) - before >= 2, "the log never started over");
        Assert.True(new FileInfo(wal).Length < 64L * 1024 * 1024, $"log of {new FileInfo(wal).Length} bytes");
    }

    [Fact]
    public async Task The_background_checkpointer_starts_the_log_over_while_another_connection_never_stops_writing()
    {
        var path = Path.Combine(_dir, "busy.db");
        using var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout=10000; CREATE TABLE t (k BLOB PRIMARY KEY, v TEXT);");
        using var checkpointer = new SqliteConnection($"Data Source={path};Pooling=False");
        checkpointer.Open();
        Execute(checkpointer, "PRAGMA busy_timeout=10000;");
        var before = CheckpointSequence(path + "-wal");
        using var stop = new CancellationTokenSource();

        // As the claims, codes and tokens of the full flow do: commit after commit, never a pause for a PASSIVE checkpoint.
        var writes = Task.Run(() =>
        {
            var commits = 0;
            while (!stop.IsCancellationRequested)
            {
                Execute(writer, "INSERT INTO t VALUES (randomblob(32), printf('%.400c', 'x'))");
                commits++;
            }
            return commits;
        });
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(25);
            SqliteCheckpointer.CheckpointOnce(checkpointer, maxFrames: 200);
        }
        await stop.CancelAsync();
        var commits = await writes;

        Assert.True(CheckpointSequence(path + "-wal") - before >= 2, $"the log never started over ({commits} commits)");
        var frames = (new FileInfo(path + "-wal").Length - 32) / (4096 + 24);
        Assert.True(frames < commits, $"{frames} frames for {commits} commits");
    }

    private (long Restarts, long Frames) WriteRows(bool withRestart)
    {
        var path = Path.Combine(_dir, $"wal-{withRestart}.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (k BLOB PRIMARY KEY, v TEXT);");
        using var restart = withRestart ? new WalRestart(connection, Threshold) : null;
        var before = CheckpointSequence(path + "-wal");
        for (var i = 0; i < Rows; i++)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO t VALUES (randomblob(32), printf('%.400c', 'x'))";
            insert.ExecuteNonQuery();
            transaction.Commit();
            restart?.AfterBatch(1);
        }
        var frames = (new FileInfo(path + "-wal").Length - 32) / (4096 + 24);
        return (CheckpointSequence(path + "-wal") - before, frames);
    }

    private static long CheckpointSequence(string wal)
    {
        using var file = new FileStream(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        file.ReadExactly(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }
}
