using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Parapet.Protocol.Par;
using Parapet.Protocol.Requests;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>
/// Group commit for the hot path: pushes that arrive together are inserted in one transaction, and each caller is answered
/// only after that transaction committed, so a 201 still means "stored" (DESIGN §5). On SQLite the spent identifiers of
/// client assertions and DPoP proofs come through here too (<see cref="Sqlite.SqliteReplayCache"/>), so SQLite's single write
/// lock is never contended on the hot path. Hand-written because no library offers group commit for EF Core.
/// </summary>
internal sealed class PushedRequestWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    /// <summary>One queued write: a pushed request to insert, or a spent identifier to record; <c>Done</c> gets the outcome.</summary>
    private readonly record struct Job(PushedRequest? Row, ReplayEntry? Replay, TaskCompletionSource<bool> Done);

    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IContextFactory _contexts;
    private readonly Sqlite.SqliteFiles? _sqlite;
    private readonly ILogger<PushedRequestWriter> _logger;
    private readonly Task _loop;
    private IDisposable? _connectionOwner;
    private PushedRequestInsert? _insert;
    private ReplayUpsert? _replays;

    /// <param name="sqlite">The embedded store's files; null on PostgreSQL.</param>
    public PushedRequestWriter(IContextFactory contexts, ILogger<PushedRequestWriter> logger, Sqlite.SqliteFiles? sqlite = null)
    {
        _contexts = contexts;
        _sqlite = sqlite;
        _logger = logger;
        // SQLite's ADO.NET provider does its I/O synchronously even behind async calls; on a thread of its own the writer
        // never holds a thread-pool worker that Kestrel needs (on one core there may be just one).
        _loop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Completes once the batch holding the request committed. Not cut short by a cancelled request: the write is committed or
    /// not whatever the caller does, within the writer's next batch, and a cancellation registration per push cost more than
    /// that short wait.
    /// </summary>
    public Task AddAsync(PushedRequest request) => Enqueue(new Job(request, null, NewDone()));

    /// <summary>Records a spent identifier in the writer's next transaction; false when an unexpired entry holds its key.</summary>
    public Task<bool> RecordReplayAsync(ReplayEntry entry) => Enqueue(new Job(null, entry, NewDone()));

    /// <summary>
    /// The table (of <see cref="PushedRequestTables"/>) that most likely holds the request stored under <paramref name="key"/>,
    /// from the issue time the key starts with: look-ups try it first (<see cref="Sqlite.AlternatingLogs.FileFor"/>).
    /// </summary>
    public int TableFor(string key) =>
        Volatile.Read(ref _insert) is Sqlite.AlternatingLogs logs && RequestUri.IssuedMsOfKey(key) is { } issued ? logs.FileFor(issued) : 0;

    private static TaskCompletionSource<bool> NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task<bool> Enqueue(Job job)
    {
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(job), this);
        return job.Done.Task;
    }

    private void WriteLoop()
    {
        var rows = new List<Job>(MaxBatch);
        var replays = new List<Job>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (rows.Count + replays.Count < MaxBatch && _queue.Reader.TryRead(out var job))
            {
                (job.Row is null ? replays : rows).Add(job);
            }
            // Two transactions, one per kind, so a failure of one never makes the other's committed writes look failed.
            Complete(rows, jobs => { Insert([.. jobs.Select(j => j.Row!)]); return null; });
            Complete(replays, jobs => Record([.. jobs.Select(j => j.Replay!)]));
            rows.Clear();
            replays.Clear();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> for the jobs in one transaction and answers each (true for an insert; a replay's own
    /// outcome). One bad row (or an outage) must not fail its neighbours silently: after a failure they are retried one by one.
    /// </summary>
    private void Complete(List<Job> jobs, Func<IReadOnlyList<Job>, bool[]?> write)
    {
        if (jobs.Count == 0)
        {
            return;
        }
        try
        {
            var outcomes = write(jobs);
            for (var i = 0; i < jobs.Count; i++)
            {
                jobs[i].Done.TrySetResult(outcomes?[i] ?? true);
            }
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Batch of {Count} writes failed; retrying singly", jobs.Count);
            foreach (var job in jobs)
            {
                try
                {
                    job.Done.TrySetResult(write([job])?[0] ?? true);
                }
                catch (Exception single)
                {
                    job.Done.TrySetException(single);
                }
            }
        }
    }

    /// <summary>One batch in one transaction (see <see cref="PushedRequestInsert"/> for the statement each provider gets).</summary>
    private void Insert(IReadOnlyList<PushedRequest> rows)
    {
        EnsureConnection();
        try
        {
            _insert!.Insert(rows);
        }
        catch
        {
            DropConnection();
            throw;
        }
    }

    private bool[] Record(IReadOnlyList<ReplayEntry> entries)
    {
        EnsureConnection();
        try
        {
            return _replays!.Record(entries);
        }
        catch
        {
            DropConnection();
            throw;
        }
    }

    private void EnsureConnection()
    {
        // The writer keeps one open connection for its lifetime: opening one per batch (with its PRAGMAs) cost more than
        // the insert. It is dropped after a failure and opened again for the next batch. On SQLite it is a connection of its
        // own, without the second file attached (SqliteFiles.OpenAlone).
        if (_connectionOwner is not null)
        {
            return;
        }
        IDisposable owner;
        System.Data.Common.DbConnection connection;
        if (_sqlite is not null)
        {
            connection = _sqlite.OpenAlone(second: false);
            owner = connection;
        }
        else
        {
            var context = _contexts.Create();
            owner = context;
            try
            {
                context.Database.OpenConnection();
            }
            catch
            {
                context.Dispose();
                throw;
            }
            connection = context.Database.GetDbConnection();
        }
        _connectionOwner = owner;
        try
        {
            _insert = PushedRequestInsert.For(connection, _sqlite, _logger);
            _replays = new ReplayUpsert(connection);
        }
        catch
        {
            DropConnection();
            throw;
        }
    }

    private void DropConnection()
    {
        _insert?.Dispose();
        _insert = null;
        _replays?.Dispose();
        _replays = null;
        _connectionOwner?.Dispose();
        _connectionOwner = null;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        DropConnection();
    }
}
