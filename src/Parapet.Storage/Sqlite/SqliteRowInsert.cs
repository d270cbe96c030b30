using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parapet.Protocol.Par;
using Parapet.Protocol.Requests;
using Parapet.Storage.Stores;
using SQLitePCL;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// SQLite's insert of a batch of pushed requests: one single-row INSERT, prepared once for the connection's life and run for
/// each row inside one transaction. A multi-row INSERT would be parsed anew for every batch size, and SQLite finds each of
/// its 8 × n named parameters by a linear search of the names (<c>sqlite3VListNameToNum</c>), quadratic in the batch.
/// </summary>
/// <remarks>
/// Hand-written against SQLitePCLRaw, the binding Microsoft.Data.Sqlite itself runs on, because this is the hottest
/// statement of the server: through <c>SqliteCommand</c> every row paid for a data reader, a statement enumerator and a look-up
/// of each parameter by name, and every string was copied to a fresh UTF-8 array. Here the parameter positions are looked up
/// once, the request's JSON is written as UTF-8 into a buffer the writer reuses, and nothing is allocated per row.
/// </remarks>
internal sealed class SqliteRowInsert : PushedRequestInsert
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;
    private readonly int[] _positions;
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _jsonWriter;
    private byte[] _text = new byte[256];

    public SqliteRowInsert(DbConnection connection, string columns)
    {
        _db = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The writer's connection is not open.");
        var prepared = new List<sqlite3_stmt>(4);
        try
        {
            // Microsoft.Data.Sqlite's BeginTransaction() is BEGIN IMMEDIATE too: the write lock is taken (or waited for, with
            // the connection's busy_timeout) before the first row, not upgraded half-way.
            _begin = Prepare("BEGIN IMMEDIATE", prepared);
            _insert = Prepare(columns + "(@k,@c,@r,@t,@e,@v,@g,@b)", prepared);
            _commit = Prepare("COMMIT", prepared);
            _rollback = Prepare("ROLLBACK", prepared);
        }
        catch
        {
            // An unfinalized statement would keep the connection from closing.
            prepared.ForEach(statement => statement.Dispose());
            throw;
        }
        _positions = [.. new[] { "@k", "@c", "@r", "@t", "@e", "@v", "@g", "@b" }.Select(name => raw.sqlite3_bind_parameter_index(_insert, name))];
        var options = RequestJson.Default.AuthorizationRequest.Options;
        // The serializer's encoder, so the stored text is what JsonSerializer.Serialize would give.
        _jsonWriter = new Utf8JsonWriter(_json, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
    }

    public override void Insert(IReadOnlyList<PushedRequest> rows)
    {
        Run(_begin);
        try
        {
            for (var i = 0; i < rows.Count; i++)
            {
                Bind(rows[i]);
                Run(_insert);
            }
            Run(_commit);
        }
        catch
        {
            // Outside a transaction (autocommit) there is nothing to roll back: COMMIT itself failed and SQLite undid it.
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                raw.sqlite3_step(_rollback);
                raw.sqlite3_reset(_rollback);
            }
            throw;
        }
    }

    private void Bind(PushedRequest row)
    {
        BindText(0, row.Key);
        BindText(1, row.ClientId);
        _json.ResetWrittenCount();
        _jsonWriter.Reset(_json);
        JsonSerializer.Serialize(_jsonWriter, row.Request, RequestJson.Default.AuthorizationRequest);
        Check(raw.sqlite3_bind_text(_insert, _positions[2], _json.WrittenSpan));
        Check(raw.sqlite3_bind_int64(_insert, _positions[3], Time.Ms(row.CreatedAt)));
        Check(raw.sqlite3_bind_int64(_insert, _positions[4], Time.Ms(row.ExpiresAt)));
        Check(raw.sqlite3_bind_int(_insert, _positions[5], row.ViaPar ? 1 : 0));
        Check(raw.sqlite3_bind_int(_insert, _positions[6], row.RedirectUriRegistered ? 1 : 0));
        if (row.ClaimedBy is null)
        {
            Check(raw.sqlite3_bind_null(_insert, _positions[7]));
        }
        else
        {
            BindText(7, row.ClaimedBy);
        }
    }

    private void BindText(int parameter, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_text.Length < max)
        {
            _text = new byte[Math.Max(max, _text.Length * 2)];
        }
        var length = Encoding.UTF8.GetBytes(value, _text);
        // SQLitePCLRaw binds a span with SQLITE_TRANSIENT: SQLite copies it, so the buffer is free for the next value.
        Check(raw.sqlite3_bind_text(_insert, _positions[parameter], _text.AsSpan(0, length)));
    }

    private void Run(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private sqlite3_stmt Prepare(string sql, List<sqlite3_stmt> prepared)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK || statement is null)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc == raw.SQLITE_OK ? raw.SQLITE_ERROR : rc, _db);
        }
        prepared.Add(statement!);
        return statement!;
    }

    public override void Dispose()
    {
        _begin.Dispose();
        _insert.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _jsonWriter.Dispose();
        base.Dispose();
    }
}
