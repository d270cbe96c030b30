using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

using Parapet.Tests.Shared;

namespace Parapet.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresNotificationTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_change_written_straight_into_postgres_reaches_the_snapshot_within_a_second()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var store = await StoreBinding.PostgresAsync(database);
        await store.Get<IPropertyStore>().SaveAsync(new ServerProperties(), 0, default);
        var live = store.Get<LivePropertySource>();
        await live.RefreshAsync(default);
        // Only the LISTEN/NOTIFY listener runs here (no poller), so the change can only arrive by notification.
        var listener = store.Get<IEnumerable<IHostedService>>().Single(s => s.GetType().Name == "PostgresChangeListener");
        await listener.StartAsync(default);
        try
        {
            await WaitUntilListeningAsync(database);
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var update = new NpgsqlCommand("""
                    UPDATE properties SET "Document" = jsonb_set("Document"::jsonb, '{requirePar}', 'true')::text, "Revision" = "Revision" + 1 WHERE "Id" = 1
                    """, connection);
                Assert.Equal(1, await update.ExecuteNonQueryAsync());
            }
            var clock = Stopwatch.StartNew();
            while (!live.Current.Properties.RequirePar && clock.Elapsed < TimeSpan.FromSeconds(1))
            {
                await Task.Delay(20);
            }
            Assert.True(live.Current.Properties.RequirePar, "requirePar did not arrive within one second");
            Assert.Equal(2, live.Current.Revision);
        }
        finally
        {
            await listener.StopAsync(default);
        }
    }

    private static async Task WaitUntilListeningAsync(string database)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            // pg_listening_channels() only sees its own session, so look for the listener's LISTEN in pg_stat_activity.
            await using var activity = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN parapet_properties%'", connection);
            if ((long)(await activity.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("The listener did not start listening.");
    }
}
