using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// Per-connection SQLite settings. WAL with synchronous=NORMAL survives a process crash without an fsync per commit
/// (a 201 from /par is committed to the WAL before it is sent); busy_timeout lets concurrent writers queue instead of failing.
/// Automatic checkpoints are off: a checkpoint fsyncs the database file, and run by whichever commit crosses the threshold it
/// stalls that request; <see cref="SqliteCheckpointer"/> runs them in the background instead, and <see cref="WalRestart"/> on the
/// writer between batches. journal_size_limit trims the log file back to 64 MB when the log starts over.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
