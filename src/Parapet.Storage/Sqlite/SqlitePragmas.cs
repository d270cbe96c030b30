using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// Per-connection SQLite settings. WAL with synchronous=NORMAL survives a process crash without an fsync per commit
/// (a 201 from /par is committed to the WAL before it is sent); busy_timeout lets concurrent writers queue instead of failing.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

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
