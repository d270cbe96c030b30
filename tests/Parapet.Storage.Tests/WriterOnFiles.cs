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

    /// <summary>
    /// Inserts a row at a time until <paramref name="done"/> holds (a move to the other file waits for another thread), the
    /// rows issued at <paramref name="issuedAt"/> and then every <paramref name="step"/> after it; the last row's issue time.
    /// </summary>
    public async Task<DateTimeOffset> InsertUntilAsync(DateTimeOffset issuedAt, Func<bool> done, TimeSpan step = default)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer did not move to the other file within 10 s");
            issuedAt += step;
            Logs.Insert([StoreContract.Pushed(issuedAt)]);
            await Task.Delay(1);
        }
        return issuedAt;
    }

    public void Dispose()
    {
        Logs.Dispose();
        _database.Dispose();
    }
}
