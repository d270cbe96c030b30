using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// Per-connection SQLite settings (<see cref="SqliteFiles.Configure"/>), and the second file of pushed requests attached.
/// WAL with synchronous=NORMAL survives a process crash without an fsync per commit (a 201 from /par is committed to the WAL
/// before it is sent); busy_timeout lets concurrent writers queue instead of failing. Automatic checkpoints are off: a
/// checkpoint fsyncs the database file, and run by whichever commit crosses the threshold it stalls that request;
/// <see cref="SqliteCheckpointer"/> runs them in the background instead, and <see cref="AlternatingLogs"/> restarts the log of
/// the file the push writer is not using. journal_size_limit trims a log file back to 64 MB when the log starts over.
/// </summary>
internal sealed class SqlitePragmas(SqliteFiles files) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => files.Configure(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // Microsoft.Data.Sqlite does its I/O synchronously behind async calls anyway.
        files.Configure(connection);
        return Task.CompletedTask;
    }
}
