using Microsoft.Data.Sqlite;

namespace Parapet.Server.Tests.Cli;

public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Migrate_creates_the_schema_in_a_new_data_directory_and_is_idempotent()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parapet-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var first = await CliRun.RunAsync(null, ["migrate", "--data-dir", dataDir]);
            var second = await CliRun.RunAsync(null, ["migrate", "--data-dir", dataDir]);

            Assert.True(first.ExitCode == 0, first.Out + first.Error);
            Assert.True(second.ExitCode == 0, second.Out + second.Error);
            Assert.Contains("is up to date", first.Out);
            await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "parapet.db")};Pooling=False");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory";
            Assert.True((long)(await command.ExecuteScalarAsync())! > 0);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
