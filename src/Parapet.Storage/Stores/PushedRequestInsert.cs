using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Parapet.Protocol.Par;
using Parapet.Protocol.Requests;

namespace Parapet.Storage.Stores;

/// <summary>
/// The writer's statement for one batch of pushed requests, bound to the writer's long-lived connection. Raw SQL because
/// EF Core's SaveChanges cost about six times the statement itself on this path (bench/README.md); the column names are
/// EF's, and migrations still own the schema. Each batch is atomic: all its rows are committed, or none.
/// </summary>
internal abstract class PushedRequestInsert : IDisposable
{
    protected const string Columns =
        "INSERT INTO pushed_requests (\"Key\",\"ClientId\",\"Request\",\"CreatedAt\",\"ExpiresAt\",\"ViaPar\",\"RedirectUriRegistered\",\"ClaimedBy\") VALUES ";

    public abstract void Insert(IReadOnlyList<PushedRequest> rows);

    public virtual void Dispose()
    {
    }

    /// <summary>
    /// SQLite runs in-process, so a statement per row costs no round trip, and with its second file the writer alternates
    /// between the two (<see cref="Sqlite.AlternatingLogs"/>); PostgreSQL gets one statement per batch.
    /// </summary>
    /// <param name="sqlite">The embedded store's files; null on PostgreSQL.</param>
    public static PushedRequestInsert For(DbConnection connection, Sqlite.SqliteFiles? sqlite, Microsoft.Extensions.Logging.ILogger logger) => sqlite switch
    {
        null => new MultiRowInsert(connection),
        { SecondPath: null } => new Sqlite.SqliteRowInsert(connection, Columns),
        _ => new Sqlite.AlternatingLogs(sqlite, (Microsoft.Data.Sqlite.SqliteConnection)connection, logger),
    };

    /// <summary>PostgreSQL: one multi-row INSERT per batch, one round trip (Npgsql finds parameters by a hash, not a scan).</summary>
    private sealed class MultiRowInsert(DbConnection connection) : PushedRequestInsert
    {
        public override void Insert(IReadOnlyList<PushedRequest> rows)
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder(Columns, Columns.Length + rows.Count * 80);
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@k{i},@c{i},@r{i},@t{i},@e{i},@v{i},@g{i},@b{i})");
                Add(command, $"@k{i}", r.Key);
                Add(command, $"@c{i}", r.ClientId);
                Add(command, $"@r{i}", JsonSerializer.Serialize(r.Request, RequestJson.Default.AuthorizationRequest));
                Add(command, $"@t{i}", Time.Ms(r.CreatedAt));
                Add(command, $"@e{i}", Time.Ms(r.ExpiresAt));
                Add(command, $"@v{i}", r.ViaPar);
                Add(command, $"@g{i}", r.RedirectUriRegistered);
                Add(command, $"@b{i}", (object?)r.ClaimedBy ?? DBNull.Value);
            }
            command.CommandText = sql.ToString();
            command.ExecuteNonQuery();
        }

        private static void Add(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }
}
