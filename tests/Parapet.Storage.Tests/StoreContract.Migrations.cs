using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Par;
using Parapet.Protocol.Storage;

namespace Parapet.Storage.Tests;

/// <summary>
/// A start with nothing pending skips EF Core's migrator (StorageRegistration.MigrateAsync), and with it the check that the
/// model has no change lacking a migration: that check is made here instead, for each provider's migration set.
/// </summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task A_new_database_has_every_migration_pending_and_none_after_migrating()
    {
        await using var store = await BindUnmigratedAsync();
        var services = store.Get<IServiceProvider>();
        await using var db = store.Get<IContextFactory>().Create();
        var all = db.Database.GetMigrations().ToList();

        Assert.NotEmpty(all);
        Assert.Equal(all, await StorageRegistration.PendingMigrationsAsync(services, default));
        await StorageRegistration.MigrateAsync(services, default);
        Assert.Empty(await StorageRegistration.PendingMigrationsAsync(services, default));
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task The_model_has_no_change_that_lacks_a_migration()
    {
        await using var store = await BindAsync();
        await using var db = store.Get<IContextFactory>().Create();

        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the last migration's snapshot: add a migration (dotnet ef migrations add)");
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_again_keeps_its_rows()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var now = store.Time.GetUtcNow();
        var pushed = Pushed(now);
        await requests.AddAsync(pushed, default);

        await StorageRegistration.MigrateAsync(store.Get<IServiceProvider>(), default);

        var claim = await requests.ClaimAsync(pushed.Key, "app", "browser-a", now, now.AddHours(1), default);
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(pushed.Key, claim.Request!.Key);
    }
}
