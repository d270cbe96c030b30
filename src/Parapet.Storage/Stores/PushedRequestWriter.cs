using System.Data.Common;
using System.Globalization;
using System.Text;
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

    /// <summary>
    /// One multi-row INSERT (atomic on its own). Raw SQL because EF Core's SaveChanges cost about six times the statement
    /// itself on this path (bench/README.md); the column names are EF's, and migrations still own the schema.
    /// </summary>
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
            using var command = _connectionOwner.Database.GetDbConnection().CreateCommand();
            var sql = new StringBuilder(InsertPrefix, InsertPrefix.Length + rows.Count * 80);
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@k{i},@c{i},@r{i},@t{i},@e{i},@v{i},@g{i},@b{i})");
                Add(command, $"@k{i}", r.Key);
                Add(command, $"@c{i}", r.ClientId);
                Add(command, $"@r{i}", r.Request);
                Add(command, $"@t{i}", r.CreatedAt);
                Add(command, $"@e{i}", r.ExpiresAt);
                Add(command, $"@v{i}", r.ViaPar);
                Add(command, $"@g{i}", r.RedirectUriRegistered);
                Add(command, $"@b{i}", (object?)r.ClaimedBy ?? DBNull.Value);
            }
            command.CommandText = sql.ToString();
            command.ExecuteNonQuery();
        }
        catch
        {
            _connectionOwner.Dispose();
            _connectionOwner = null;
            throw;
        }
    }

    private const string InsertPrefix =
        "INSERT INTO pushed_requests (\"Key\",\"ClientId\",\"Request\",\"CreatedAt\",\"ExpiresAt\",\"ViaPar\",\"RedirectUriRegistered\",\"ClaimedBy\") VALUES ";

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_connectionOwner is not null)
        {
            await _connectionOwner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
