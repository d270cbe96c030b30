using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Par;
using Parapet.Protocol.Storage;
using Parapet.Storage.Sqlite;

namespace Parapet.Storage.Tests;

/// <summary>The embedded store's second file (<see cref="SqliteFiles"/>): made at start, attached everywhere, kept in step.</summary>
public sealed class SqliteFilesTests
{
    [Fact]
    public async Task The_second_file_gets_the_databases_table_and_indexes_and_is_attached_to_every_connection()
    {
        await using var binding = await StoreBinding.SqliteAsync();

        Assert.True(File.Exists(Path.Combine(binding.DataDirectory!, "parapet-par.db")));
        await using var db = binding.Get<IContextFactory>().Create();
        Assert.Equal(await DefinitionAsync(db, "main"), await DefinitionAsync(db, "par"));
        Assert.Equal(3, (await DefinitionAsync(db, "main")).Count + 1); // table, expiry index (+ the key's automatic index)
        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode('par')").SingleAsync());
    }

    [Fact]
    public void In_memory_there_is_no_second_file()
    {
        var files = new SqliteFiles("Data Source=:memory:");

        Assert.Null(files.SecondPath);
        Assert.Equal(["pushed_requests"], files.Tables.All.Select(t => t.Name));
    }

    [Fact]
    public async Task When_a_migration_changed_the_table_the_second_files_rows_move_to_the_database_and_its_table_is_made_again()
    {
        await using var binding = await StoreBinding.SqliteAsync();
        var now = binding.Time.GetUtcNow();
        var kept = StoreContract.Pushed(now);
        using (var writer = new WriterOnFiles(binding, rowsPerSwitch: 1))
        {
            await writer.InsertUntilAsync(now, () => writer.Logs.Current == 1);
            writer.Logs.Insert([kept]);
        }
        await using (var db = binding.Get<IContextFactory>().Create())
        {
            // What a later migration of the database's table would do.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE main.pushed_requests ADD COLUMN \"Extra\" TEXT NULL;");
        }

        await StorageRegistration.MigrateAsync(binding.Get<IServiceProvider>(), default);

        await using var check = binding.Get<IContextFactory>().Create();
        Assert.Equal(await DefinitionAsync(check, "main"), await DefinitionAsync(check, "par"));
        Assert.Equal(0, await check.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM par.pushed_requests").SingleAsync());
        var claimed = await binding.Get<IPushedRequestStore>().ClaimAsync(kept.Key, "app", "browser", now, now.AddHours(1), default);
        Assert.Equal(ClaimOutcome.Claimed, claimed.Outcome);

        // Started again with nothing changed: nothing moves.
        await StorageRegistration.MigrateAsync(binding.Get<IServiceProvider>(), default);
        Assert.Equal(await DefinitionAsync(check, "main"), await DefinitionAsync(check, "par"));
    }

    private static Task<List<string>> DefinitionAsync(ParapetDbContext db, string schema)
    {
        var query = "SELECT sql AS \"Value\" FROM " + schema + ".sqlite_master WHERE tbl_name = 'pushed_requests' AND sql IS NOT NULL ORDER BY type DESC, name";
        return db.Database.SqlQueryRaw<string>(query).ToListAsync();
    }
}
