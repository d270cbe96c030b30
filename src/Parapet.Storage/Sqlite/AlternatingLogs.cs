using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parapet.Protocol.Par;
using Parapet.Storage.Stores;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// The push writer's two files (<see cref="SqliteFiles"/>): it appends to one while the other's write-ahead log is copied into
/// its database file by a thread of its own, and after <see cref="RowsPerSwitch"/> rows it moves to the other, once that copy
/// is complete. The writer never waits for a checkpoint.
/// </summary>
/// <remarks>
/// Why: SQLite starts a log over only after a checkpoint that reached its end, which a file that is written without pause never
/// gives. With one file the writer had to stop for that checkpoint between batches, every 1,024 rows: two fsyncs, ~3.7 ms at
/// the median, 8 % of the time, about 1 ms of POST /par's p99 (bench/README.md, session 6). A file nobody appends to is
/// checkpointed to its end without stopping anyone, and the next write starts its log over.
/// </remarks>
internal sealed class AlternatingLogs : PushedRequestInsert
{
    /// <summary>Rows appended to one file before moving to the other: ~2.5 MB of log on SQLite's 4 KB pages.</summary>
    internal const int RowsPerSwitch = 1024;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMilliseconds(500);

    private readonly SqliteFiles _files;
    private readonly ILogger _logger;
    private readonly int _rowsPerSwitch;
    private readonly SqliteConnection? _second;
    private readonly SqliteRowInsert[] _inserts = new SqliteRowInsert[2];
    private readonly Thread _checkpointThread;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _checkpointRequested = new(0);
    /// <summary>Per file: 1 when its log is copied to its end and the writer may move to it.</summary>
    private readonly int[] _ready = new int[2];
    private int _current;
    private int _rowsInCurrent;
    private int _toCheckpoint = -1;
    /// <summary>The latest issue time written so far, and its value when the writer last moved to the second file.</summary>
    private long _latestIssuedMs;
    private long _enteredSecondAfterMs;

    /// <param name="database">The writer's connection to the database file, which stays the writer's to close.</param>
    public AlternatingLogs(SqliteFiles files, SqliteConnection database, ILogger logger, int rowsPerSwitch = RowsPerSwitch)
    {
        _files = files;
        _logger = logger;
        _rowsPerSwitch = rowsPerSwitch;
        _inserts[0] = new SqliteRowInsert(database, Columns);
        try
        {
            _second = files.OpenAlone(second: true);
            _inserts[1] = new SqliteRowInsert(_second, Columns);
        }
        catch
        {
            DisposeFiles();
            throw;
        }
        _checkpointThread = new Thread(CheckpointLoop) { IsBackground = true, Name = "SQLite log restart" };
        _checkpointThread.Start();
        // The second file's log may hold rows from before a restart of the server; it is copied before the writer moves there.
        RequestCheckpoint(1);
    }

    /// <summary>Which file the next batch goes to (0: the database, 1: the second file); read by other threads.</summary>
    internal int Current => Volatile.Read(ref _current);

    /// <summary>
    /// The file a request issued at <paramref name="issuedMs"/> (Unix ms) was most likely written to: the second file when the
    /// writer is there and the request was issued after it moved there, else the database. A hint for look-ups (a wrong
    /// guess costs one statement that finds nothing); requests from before the server started, or stored by other means, are
    /// looked for in the database first.
    /// </summary>
    internal int FileFor(long issuedMs) => Current == 1 && issuedMs > Volatile.Read(ref _enteredSecondAfterMs) ? 1 : 0;

    public override void Insert(IReadOnlyList<PushedRequest> rows)
    {
        _inserts[_current].Insert(rows);
        _rowsInCurrent += rows.Count;
        for (var i = 0; i < rows.Count; i++)
        {
            _latestIssuedMs = Math.Max(_latestIssuedMs, Time.Ms(rows[i].CreatedAt));
        }
        var other = 1 - _current;
        // Only once the other file's copy is complete: while it still runs (a slow fsync), this log grows a little longer.
        if (_rowsInCurrent >= _rowsPerSwitch && Volatile.Read(ref _ready[other]) == 1)
        {
            _ready[_current] = 0;
            RequestCheckpoint(_current);
            Volatile.Write(ref _enteredSecondAfterMs, _latestIssuedMs);
            Volatile.Write(ref _current, other);
            _rowsInCurrent = 0;
        }
    }

    private void RequestCheckpoint(int file)
    {
        Volatile.Write(ref _toCheckpoint, file);
        _checkpointRequested.Release();
    }

    private void CheckpointLoop()
    {
        var connections = new SqliteConnection?[2];
        try
        {
            while (true)
            {
                _checkpointRequested.Wait(_stop.Token);
                var file = Volatile.Read(ref _toCheckpoint);
                // PASSIVE blocks no one; it falls short when a claim or a sweep wrote to the file meanwhile, and is tried again.
                while (!TryCheckpoint(connections, file))
                {
                    _stop.Token.WaitHandle.WaitOne(RetryAfter);
                    _stop.Token.ThrowIfCancellationRequested();
                }
                Volatile.Write(ref _ready[file], 1);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection?.Dispose();
            }
        }
    }

    private bool TryCheckpoint(SqliteConnection?[] connections, int file)
    {
        try
        {
            connections[file] ??= _files.OpenAlone(second: file == 1, forCheckpoints: true);
            return WalCheckpoint.Run(connections[file]!).Complete;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never thrown out of this thread: an unhandled exception there would end the process.
            _logger.LogWarning("SQLite checkpoint of the idle pushed-request file failed ({Reason}); retrying", e.Message);
            connections[file]?.Dispose();
            connections[file] = null;
            _stop.Token.WaitHandle.WaitOne(RetryAfterFailure);
            return false;
        }
    }

    public override void Dispose()
    {
        _stop.Cancel();
        _checkpointThread.Join();
        _stop.Dispose();
        _checkpointRequested.Dispose();
        DisposeFiles();
        base.Dispose();
    }

    private void DisposeFiles()
    {
        foreach (var insert in _inserts)
        {
            insert?.Dispose();
        }
        _second?.Dispose();
    }
}
