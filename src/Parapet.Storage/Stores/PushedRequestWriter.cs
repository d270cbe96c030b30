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
/// only after that transaction committed, so a 201 still means "stored" (DESIGN §5). One writer also means SQLite's single
/// write lock is never contended by the pushes themselves. Hand-written because no library offers group commit for EF Core.
/// </summary>
internal sealed class PushedRequestWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly Channel<(PushedRequestEntity Row, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(PushedRequestEntity, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IContextFactory _contexts;
    private readonly ILogger<PushedRequestWriter> _logger;
    private readonly Task _loop;
    private ParapetDbContext? _connectionOwner;
    private PushedRequestInsert? _insert;

    public PushedRequestWriter(IContextFactory contexts, ILogger<PushedRequestWriter> logger)
    {
        _contexts = contexts;
        _logger = logger;
        // SQLite's ADO.NET provider does its I/O synchronously even behind async calls; on a thread of its own the writer
        // never holds a thread-pool worker that Kestrel needs (on one core there may be just one).
        _loop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public Task AddAsync(PushedRequest request, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var row = new PushedRequestEntity
        {
            Key = request.Key,
            ClientId = request.ClientId,
            Request = JsonSerializer.Serialize(request.Request, RequestJson.Default.AuthorizationRequest),
            CreatedAt = Time.Ms(request.CreatedAt),
            ExpiresAt = Time.Ms(request.ExpiresAt),
            ViaPar = request.ViaPar,
            RedirectUriRegistered = request.RedirectUriRegistered,
            ClaimedBy = request.ClaimedBy,
        };
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite((row, done)), this);
        // The row is committed or not whatever the caller does; the caller may stop waiting.
        return done.Task.WaitAsync(ct);
    }

    private void WriteLoop()
    {
        var batch = new List<(PushedRequestEntity Row, TaskCompletionSource Done)>(MaxBatch);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                Insert(batch.Select(b => b.Row).ToList());
                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                // One bad row (or an outage) must not fail its neighbours silently: retry them one by one.
                _logger.LogDebug(e, "Batch of {Count} pushed requests failed; retrying singly", batch.Count);
                foreach (var (row, done) in batch)
                {
                    WriteOne(row, done);
                }
            }
            batch.Clear();
        }
    }

    private void WriteOne(PushedRequestEntity row, TaskCompletionSource done)
    {
        try
        {
            Insert([row]);
            done.TrySetResult();
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
    }

    /// <summary>One batch in one transaction (see <see cref="PushedRequestInsert"/> for the statement each provider gets).</summary>
    private void Insert(IReadOnlyList<PushedRequestEntity> rows)
    {
        // The writer keeps one open connection for its lifetime: opening one per batch (with its PRAGMAs) cost more than
        // the insert. It is dropped after a failure and opened again for the next batch.
        if (_connectionOwner is null)
        {
            var owner = _contexts.Create();
            try
            {
                owner.Database.OpenConnection();
                _insert = PushedRequestInsert.For(owner.Database.GetDbConnection(), owner.Database.IsSqlite());
            }
            catch
            {
                owner.Dispose();
                throw;
            }
            _connectionOwner = owner;
        }
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

    private void DropConnection()
    {
        _insert?.Dispose();
        _insert = null;
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
