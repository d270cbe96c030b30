using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Parapet.Protocol.Storage;
using Microsoft.EntityFrameworkCore;
using Parapet.Storage.Sqlite;

namespace Parapet.Storage.Tests;

/// <summary>
/// SQLite's write-ahead logs must not grow without bound under sustained writes, and the push writer must never wait for a
/// checkpoint. A log restart shows in its header: the checkpoint sequence number (bytes 12-15, big-endian) goes up each time
/// the log starts over from its first frame.
/// </summary>
public sealed class SqliteWalTests : IDisposable
{
    private const int Threshold = 20;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "parapet-wal-" + Guid.NewGuid().ToString("N")[..8]);

    public SqliteWalTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public async Task The_push_writer_alternates_between_the_files_and_each_log_starts_over_under_concurrent_pushes()
    {
        await using var binding = await StoreBinding.SqliteAsync();
        var store = binding.Get<IPushedRequestStore>();
        var files = binding.Get<SqliteFiles>();
        var wals = new[] { Path.Combine(binding.DataDirectory!, "parapet.db-wal"), files.SecondPath + "-wal" };
        var now = DateTimeOffset.UtcNow;
        // A log file is empty (no header to read) until the first commit after every connection closed; a push writes the first.
        await store.AddAsync(StoreContract.Pushed(now), CancellationToken.None);
        var before = CheckpointSequence(wals[0]);
        const int rows = 6 * AlternatingLogs.RowsPerSwitch;

        // 32 callers at once, as under load: the writer always has the next batch waiting.
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= rows)
            {
                await store.AddAsync(StoreContract.Pushed(now), CancellationToken.None);
            }
        })));

        var (inDatabase, inSecond) = Counts(binding);
        Assert.Equal(rows + 1, inDatabase + inSecond);
        Assert.True(inDatabase >= AlternatingLogs.RowsPerSwitch && inSecond >= AlternatingLogs.RowsPerSwitch, $"{inDatabase} + {inSecond} rows");
        Assert.True(CheckpointSequence(wals[0]) - before >= 1, "the database's log never started over");
        Assert.True(CheckpointSequence(wals[1]) >= 1, "the second file's log never started over");
        foreach (var wal in wals)
        {
            // Without restarts ~2.4 KB per row: 6,000 rows would be ~15 MB.
            Assert.True(new FileInfo(wal).Length < 8L * 1024 * 1024, $"{wal}: {new FileInfo(wal).Length} bytes");
        }
    }

    [Fact]
    public async Task While_a_reader_holds_the_idle_files_log_the_writer_stays_where_it_is_without_waiting()
    {
        await using var binding = await StoreBinding.SqliteAsync();
        using var writer = new WriterOnFiles(binding, Threshold);
        var (files, logs) = (writer.Files, writer.Logs);
        var now = DateTimeOffset.UtcNow;
        await writer.InsertUntilAsync(now, () => logs.Current == 1);
        // A reader's snapshot in the second file's log: no checkpoint can copy past it, so that file never becomes ready.
        using var reader = files.OpenAlone(second: true);
        using var snapshot = reader.BeginTransaction(deferred: true);
        Execute(reader, "SELECT count(*) FROM pushed_requests", snapshot);
        logs.Insert([StoreContract.Pushed(now)]);
        await writer.InsertUntilAsync(now, () => logs.Current == 0);

        // Far past the threshold on the database file, every batch committed at once, and the writer still there.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 5 * Threshold; i++)
        {
            logs.Insert([StoreContract.Pushed(now)]);
        }
        Assert.Equal(0, logs.Current);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{5 * Threshold} single-row batches took {clock.Elapsed}");

        snapshot.Commit();
        await writer.InsertUntilAsync(now, () => logs.Current == 1);
    }

    [Fact]
    public async Task Look_ups_are_pointed_at_the_file_a_request_most_likely_went_to()
    {
        await using var binding = await StoreBinding.SqliteAsync();
        using var writer = new WriterOnFiles(binding, Threshold);
        var logs = writer.Logs;
        var now = DateTimeOffset.UtcNow;
        var inDatabase = StoreContract.Pushed(now);
        logs.Insert([inDatabase]);
        Assert.Equal(0, logs.FileFor(inDatabase.CreatedAt.ToUnixTimeMilliseconds()));

        now = await writer.InsertUntilAsync(now, () => logs.Current == 1, TimeSpan.FromMilliseconds(1));
        var inSecond = StoreContract.Pushed(now.AddMilliseconds(1));
        logs.Insert([inSecond]);

        Assert.Equal(1, logs.FileFor(inSecond.CreatedAt.ToUnixTimeMilliseconds()));
        Assert.Equal(0, logs.FileFor(inDatabase.CreatedAt.ToUnixTimeMilliseconds()));
        await writer.InsertUntilAsync(now.AddMilliseconds(2), () => logs.Current == 0);
        Assert.Equal(0, logs.FileFor(inSecond.CreatedAt.ToUnixTimeMilliseconds()));
    }

    private static (long Database, long Second) Counts(StoreBinding binding)
    {
        using var db = binding.Get<IContextFactory>().Create();
        db.Database.OpenConnection();
        var connection = db.Database.GetDbConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM main.pushed_requests), (SELECT count(*) FROM par.pushed_requests)";
        using var row = command.ExecuteReader();
        row.Read();
        return (row.GetInt64(0), row.GetInt64(1));
    }

    [Fact]
    public async Task The_background_checkpointer_starts_the_log_over_while_another_connection_never_stops_writing()
    {
        var path = Path.Combine(_dir, "busy.db");
        using var writer = new SqliteConnection($"Data Source={path};Pooling=False");
        writer.Open();
        // journal_size_limit as the server sets it (smaller): a restart trims the file, so its length at the end is the log's
        // since the last restart, not the longest it ever was (a first checkpoint held up by other tests on the machine).
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout=10000; PRAGMA journal_size_limit=1048576; CREATE TABLE t (k BLOB PRIMARY KEY, v TEXT);");
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

    private static long CheckpointSequence(string wal)
    {
        using var file = new FileStream(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        file.ReadExactly(header);
        return BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
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
