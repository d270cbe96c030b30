using System.Data.Common;

namespace Parapet.Storage.Stores;

/// <summary>A spent one-time identifier waiting for the writer: its key, when it may be forgotten, and the time of the attempt.</summary>
internal sealed record ReplayEntry(string Key, long ExpiresAt, long Now);

/// <summary>
/// The writer's statement for spent identifiers (see <see cref="ReplayCache"/> for the rule), prepared once on the writer's
/// connection and run for each entry of a batch inside one transaction. Each entry learns whether it was the first: the
/// upsert affects one row when it inserts or replaces an expired entry, none when an unexpired one holds the key.
/// </summary>
internal sealed class ReplayUpsert : IDisposable
{
    private readonly DbConnection _connection;
    private readonly DbCommand _command;
    private readonly DbParameter _key;
    private readonly DbParameter _expiresAt;
    private readonly DbParameter _now;

    public ReplayUpsert(DbConnection connection)
    {
        _connection = connection;
        _command = connection.CreateCommand();
        _command.CommandText = """
            INSERT INTO used_jtis ("Key", "ExpiresAt") VALUES (@k, @e)
            ON CONFLICT ("Key") DO UPDATE SET "ExpiresAt" = excluded."ExpiresAt" WHERE used_jtis."ExpiresAt" <= @n
            """;
        _key = Add("@k");
        _expiresAt = Add("@e");
        _now = Add("@n");
    }

    /// <summary>True for each entry recorded now; false for a replay. All or none of the batch is committed.</summary>
    public bool[] Record(IReadOnlyList<ReplayEntry> entries)
    {
        var recorded = new bool[entries.Count];
        using var transaction = _connection.BeginTransaction();
        _command.Transaction = transaction;
        for (var i = 0; i < entries.Count; i++)
        {
            _key.Value = entries[i].Key;
            _expiresAt.Value = entries[i].ExpiresAt;
            _now.Value = entries[i].Now;
            recorded[i] = _command.ExecuteNonQuery() == 1;
        }
        transaction.Commit();
        _command.Transaction = null;
        return recorded;
    }

    public void Dispose() => _command.Dispose();

    private DbParameter Add(string name)
    {
        var parameter = _command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = DBNull.Value;
        _command.Parameters.Add(parameter);
        return parameter;
    }
}
