using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Parapet.Storage.Sqlite;

namespace Parapet.Storage.Tests;

/// <summary>The push writer's two files of a SQLite binding, driven directly: its connection and its alternation.</summary>
internal sealed class WriterOnFiles : IDisposable
{
    private readonly SqliteConnection _database;

    public WriterOnFiles(StoreBinding binding, int rowsPerSwitch)
    {
        Files = binding.Get<SqliteFiles>();
        _database = Files.OpenAlone(second: false);
        Logs = new AlternatingLogs(Files, _database, NullLogger.Instance, rowsPerSwitch);
    }

    public SqliteFiles Files { get; }

    public AlternatingLogs Logs { get; }

    public void Dispose()
    {
        Logs.Dispose();
        _database.Dispose();
    }
}
