using System.Data.Common;
using System.Globalization;
using System.Text;
using Parapet.Storage.Entities;

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

    public abstract void Insert(IReadOnlyList<PushedRequestEntity> rows);

    public virtual void Dispose()
    {
    }

    /// <summary>SQLite runs in-process, so a statement per row costs no round trip; PostgreSQL gets one statement per batch.</summary>
    public static PushedRequestInsert For(DbConnection connection, bool sqlite) =>
        sqlite ? new PreparedRowInsert(connection) : new MultiRowInsert(connection);

    protected static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// SQLite: one single-row INSERT, prepared once for the connection's life, run for each row inside one transaction.
    /// A multi-row INSERT would be parsed anew for every batch size, and SQLite finds each of its 8 × n named parameters by a
    /// linear search of the names (<c>sqlite3VListNameToNum</c>), quadratic in the batch — it showed in the profile.
    /// </summary>
    private sealed class PreparedRowInsert : PushedRequestInsert
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _command;
        private readonly DbParameter[] _values;

        public PreparedRowInsert(DbConnection connection)
        {
            _connection = connection;
            _command = connection.CreateCommand();
            _command.CommandText = Columns + "(@k,@c,@r,@t,@e,@v,@g,@b)";
            _values = [.. new[] { "@k", "@c", "@r", "@t", "@e", "@v", "@g", "@b" }.Select(name => Add(_command, name, DBNull.Value))];
        }

        public override void Insert(IReadOnlyList<PushedRequestEntity> rows)
        {
            using var transaction = _connection.BeginTransaction();
            _command.Transaction = transaction;
            foreach (var row in rows)
            {
                Bind(row);
                _command.ExecuteNonQuery();
            }
            transaction.Commit();
            _command.Transaction = null;
        }

        private void Bind(PushedRequestEntity row)
        {
            _values[0].Value = row.Key;
            _values[1].Value = row.ClientId;
            _values[2].Value = row.Request;
            _values[3].Value = row.CreatedAt;
            _values[4].Value = row.ExpiresAt;
            _values[5].Value = row.ViaPar;
            _values[6].Value = row.RedirectUriRegistered;
            _values[7].Value = (object?)row.ClaimedBy ?? DBNull.Value;
        }

        public override void Dispose()
        {
            _command.Dispose();
            base.Dispose();
        }
    }

    /// <summary>PostgreSQL: one multi-row INSERT per batch, one round trip (Npgsql finds parameters by a hash, not a scan).</summary>
    private sealed class MultiRowInsert(DbConnection connection) : PushedRequestInsert
    {
        public override void Insert(IReadOnlyList<PushedRequestEntity> rows)
        {
            using var command = connection.CreateCommand();
            var sql = new StringBuilder(Columns, Columns.Length + rows.Count * 80);
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
    }
}
