using Parapet.Protocol;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Par;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;

using Parapet.Tests.Shared;

namespace Parapet.Storage.Tests;

/// <summary>
/// One storage contract, bound to SQLite and to PostgreSQL (STYLE: one suite, several hosts). The races prove that every
/// once-only transition is decided by the database, not by a read followed by a write.
/// </summary>
public abstract partial class StoreContract
{
    protected const int Racers = 100;

    protected abstract Task<StoreBinding> BindAsync();

    /// <summary>The same database, before any migration.</summary>
    protected abstract Task<StoreBinding> BindUnmigratedAsync();

    internal static PushedRequest Pushed(DateTimeOffset now, string clientId = "app", int lifetime = 600) => new(
        RequestUri.KeyOfReference(RequestUri.NewReference(now)), clientId,
        new AuthorizationRequest { ClientId = clientId, ResponseType = "code", RedirectUri = "https://client.example/cb", Scope = "openid", State = "s" },
        now, now.AddSeconds(lifetime), ViaPar: true, RedirectUriRegistered: true);

    private static AuthorizationCode Code(DateTimeOffset now, string grantId = "grant-1") => new(
        Hashing.Sha256(Hashing.NewHandle()), "app", "user-1", "https://client.example/cb", "openid offline_access", "n", null, null, now, now.AddSeconds(60), grantId);

    [Fact]
    public async Task Claim_resumes_for_the_same_browser_and_refuses_another()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var now = store.Time.GetUtcNow();
        var pushed = Pushed(now);
        await requests.AddAsync(pushed, default);

        var first = await requests.ClaimAsync(pushed.Key, "app", "browser-a", now, now.AddHours(1), default);
        var reload = await requests.ClaimAsync(pushed.Key, "app", "browser-a", now, now.AddHours(1), default);
        var other = await requests.ClaimAsync(pushed.Key, "app", "browser-b", now, now.AddHours(1), default);
        var foreign = await requests.ClaimAsync(pushed.Key, "evil", "browser-a", now, now.AddHours(1), default);

        Assert.Equal(ClaimOutcome.Claimed, first.Outcome);
        Assert.Equal("s", first.Request!.Request.State);
        Assert.Equal(ClaimOutcome.Claimed, reload.Outcome);
        Assert.Equal(ClaimOutcome.ClaimedByAnotherBrowser, other.Outcome);
        Assert.Equal(ClaimOutcome.OtherClient, foreign.Outcome);
    }

    [Fact]
    public async Task Claim_of_an_expired_or_unknown_request_fails_and_a_claim_extends_the_life()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var now = store.Time.GetUtcNow();
        var pushed = Pushed(now, lifetime: 10);
        await requests.AddAsync(pushed, default);

        Assert.Equal(ClaimOutcome.Unknown, (await requests.ClaimAsync("nope", "app", "b", now, now.AddHours(1), default)).Outcome);
        Assert.Equal(ClaimOutcome.Unknown, (await requests.ClaimAsync(pushed.Key, "app", "b", now.AddSeconds(11), now.AddHours(1), default)).Outcome);

        var fresh = Pushed(now, lifetime: 10);
        await requests.AddAsync(fresh, default);
        var claimed = await requests.ClaimAsync(fresh.Key, "app", "b", now, now.AddHours(1), default);
        Assert.Equal(ClaimOutcome.Claimed, claimed.Outcome);
        // Once claimed, the login transaction's lifetime applies, not the 10 s PAR lifetime.
        Assert.Equal(ClaimOutcome.Claimed, (await requests.ClaimAsync(fresh.Key, "app", "b", now.AddMinutes(30), now.AddHours(2), default)).Outcome);
    }

    [Fact]
    public async Task Concurrent_claims_from_many_browsers_have_exactly_one_winner()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var now = store.Time.GetUtcNow();
        var pushed = Pushed(now);
        await requests.AddAsync(pushed, default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            Task.Run(() => requests.ClaimAsync(pushed.Key, "app", $"browser-{i}", now, now.AddHours(1), default))));

        Assert.Equal(1, outcomes.Count(o => o.Outcome == ClaimOutcome.Claimed));
        Assert.Equal(Racers - 1, outcomes.Count(o => o.Outcome == ClaimOutcome.ClaimedByAnotherBrowser));
    }

    [Fact]
    public async Task Concurrent_consumes_issue_exactly_one_code()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var tokens = store.Get<ITokenStore>();
        var now = store.Time.GetUtcNow();
        var pushed = Pushed(now);
        await requests.AddAsync(pushed, default);
        await requests.ClaimAsync(pushed.Key, "app", "b", now, now.AddHours(1), default);

        var codes = Enumerable.Range(0, Racers).Select(i => Code(now, $"grant-{i}")).ToArray();
        var consumed = await Task.WhenAll(codes.Select(c => Task.Run(() => requests.ConsumeAsync(pushed.Key, "b", now, c, default))));

        Assert.Equal(1, consumed.Count(c => c));
        var stored = 0;
        foreach (var code in codes)
        {
            stored += (await tokens.RedeemCodeAsync(code.Key, now, default)).Outcome == RedeemOutcome.Redeemed ? 1 : 0;
        }
        Assert.Equal(1, stored);
        Assert.Equal(ClaimOutcome.Unknown, (await requests.ClaimAsync(pushed.Key, "app", "b", now, now.AddHours(1), default)).Outcome);
    }

    [Fact]
    public async Task Concurrent_redemptions_of_a_code_have_one_winner_and_replay_revokes_the_grant()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var tokens = store.Get<ITokenStore>();
        var now = store.Time.GetUtcNow();
        var pushed = Pushed(now);
        await requests.AddAsync(pushed, default);
        await requests.ClaimAsync(pushed.Key, "app", "b", now, now.AddHours(1), default);
        var code = Code(now, "grant-race");
        Assert.True(await requests.ConsumeAsync(pushed.Key, "b", now, code, default));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(() => tokens.RedeemCodeAsync(code.Key, now, default))));

        Assert.Equal(1, outcomes.Count(o => o.Outcome == RedeemOutcome.Redeemed));
        Assert.Equal(Racers - 1, outcomes.Count(o => o.Outcome == RedeemOutcome.Replayed));
        Assert.True(await tokens.IsGrantRevokedAsync("grant-race", default));
    }

    [Fact]
    public async Task Expired_code_is_not_redeemed()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var tokens = store.Get<ITokenStore>();
        var now = store.Time.GetUtcNow();
        var pushed = Pushed(now);
        await requests.AddAsync(pushed, default);
        await requests.ClaimAsync(pushed.Key, "app", "b", now, now.AddHours(1), default);
        var code = Code(now);
        await requests.ConsumeAsync(pushed.Key, "b", now, code, default);

        Assert.Equal(RedeemOutcome.Unknown, (await tokens.RedeemCodeAsync(code.Key, now.AddSeconds(61), default)).Outcome);
    }

    [Fact]
    public async Task Refresh_token_rotates_once_and_reuse_revokes_the_family()
    {
        await using var store = await BindAsync();
        var tokens = store.Get<ITokenStore>();
        var now = store.Time.GetUtcNow();
        var token = new RefreshToken(Hashing.Sha256("rt-1"), "app", "user-1", "openid", now, now.AddDays(1), "family-1");
        await tokens.AddRefreshTokenAsync(token, default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => tokens.UseRefreshTokenAsync(token.Key, now, default))));

        Assert.Equal(1, outcomes.Count(o => o.Outcome == RedeemOutcome.Redeemed));
        Assert.True(await tokens.IsGrantRevokedAsync("family-1", default));
        var sibling = new RefreshToken(Hashing.Sha256("rt-2"), "app", "user-1", "openid", now, now.AddDays(1), "family-1");
        await tokens.AddRefreshTokenAsync(sibling, default);
        Assert.Equal(RedeemOutcome.Unknown, (await tokens.UseRefreshTokenAsync(sibling.Key, now, default)).Outcome);
    }

    [Fact]
    public async Task Concurrent_records_of_one_jti_have_exactly_one_winner()
    {
        await using var store = await BindAsync();
        var replays = store.Get<IReplayCache>();
        var now = store.Time.GetUtcNow();
        var key = Hashing.Sha256("app\njti-1");

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => replays.TryRecordAsync(key, now.AddMinutes(1), now, default))));

        Assert.Single(results, r => r);
        Assert.True(await replays.TryRecordAsync(Hashing.Sha256("app\njti-2"), now.AddMinutes(1), now, default));
    }

    [Fact]
    public async Task A_jti_whose_row_expired_can_be_recorded_again_and_the_sweeper_removes_the_row()
    {
        await using var store = await BindAsync();
        var replays = store.Get<IReplayCache>();
        var now = store.Time.GetUtcNow();
        var key = Hashing.Sha256("app\njti-1");
        await replays.TryRecordAsync(key, now.AddMinutes(1), now, default);

        var later = now.AddMinutes(2);
        Assert.True(await replays.TryRecordAsync(key, later.AddMinutes(1), later, default));
        Assert.False(await replays.TryRecordAsync(key, later.AddMinutes(1), later, default));

        await store.Get<IPropertyStore>().SaveAsync(new ServerProperties(), 0, default);
        await store.Get<LivePropertySource>().RefreshAsync(default);
        store.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(1, await store.Get<ExpiredObjectSweeper>().SweepOnceAsync(default));
        Assert.True(await replays.TryRecordAsync(key, store.Time.GetUtcNow().AddMinutes(1), store.Time.GetUtcNow(), default));
    }

    [Fact]
    public async Task Properties_are_compare_and_set_on_the_revision()
    {
        await using var store = await BindAsync();
        var properties = store.Get<IPropertyStore>();
        Assert.True(await properties.SaveAsync(new ServerProperties(), 0, default));
        Assert.False(await properties.SaveAsync(new ServerProperties(), 0, default));

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => properties.SaveAsync(new ServerProperties { DefaultParLifetime = 100 + i }, 1, default))));

        Assert.Equal(1, results.Count(r => r));
        Assert.Equal(2, await properties.RevisionAsync(default));
    }

    [Fact]
    public async Task Client_update_with_a_stale_version_is_refused()
    {
        await using var store = await BindAsync();
        var clients = store.Get<IClientStore>();
        var client = new Client { ClientId = "app", RedirectUris = ["https://client.example/cb"], Version = 1, ParLifetime = 60 };
        Assert.True(await clients.AddAsync(client, default));
        Assert.False(await clients.AddAsync(client, default));

        Assert.True(await clients.UpdateAsync(client with { Version = 2, ParLifetime = 90 }, 1, default));
        Assert.False(await clients.UpdateAsync(client with { Version = 2, ParLifetime = 120 }, 1, default));
        Assert.Equal(90, (await clients.FindAsync("app", default))!.ParLifetime);
    }

    [Fact]
    public async Task A_client_changed_by_another_node_is_seen_within_a_second()
    {
        await using var store = await BindAsync();
        var clients = store.Get<IClientStore>();
        var client = new Client { ClientId = "app", RedirectUris = ["https://client.example/cb"], Version = 1 };
        await clients.AddAsync(client, default);
        Assert.False((await clients.FindAsync("app", default))!.Disabled);

        // Another node writes straight to the shared table, past this node's cache.
        var otherNode = store.Get<Stores.ClientStore>();
        Assert.True(await otherNode.UpdateAsync(client with { Disabled = true, Version = 2 }, 1, default));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(await clients.FindAsync("app", default))!.Disabled && clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(25);
        }
        Assert.True((await clients.FindAsync("app", default))!.Disabled, "the change was not seen within one second");
    }

    [Fact]
    public async Task Sweeper_deletes_only_expired_objects()
    {
        await using var store = await BindAsync();
        var properties = store.Get<IPropertyStore>();
        await properties.SaveAsync(new ServerProperties { CleanServiceBatchChunkSize = 3 }, 0, default);
        await store.Get<LivePropertySource>().RefreshAsync(default);
        var requests = store.Get<IPushedRequestStore>();
        var now = store.Time.GetUtcNow();
        for (var i = 0; i < 7; i++)
        {
            await requests.AddAsync(Pushed(now, lifetime: 10), default);
        }
        await requests.AddAsync(Pushed(now, lifetime: 600), default);
        store.Time.Advance(TimeSpan.FromSeconds(11));

        var removed = await store.Get<ExpiredObjectSweeper>().SweepOnceAsync(default);

        Assert.Equal(7, removed);
        Assert.Single(await requests.ListActiveAsync(null, store.Time.GetUtcNow(), 100, default));
    }
}

public sealed class SqliteStoreContract : StoreContract
{
    protected override Task<StoreBinding> BindAsync() => StoreBinding.SqliteAsync();
    protected override Task<StoreBinding> BindUnmigratedAsync() => StoreBinding.SqliteAsync(migrate: false);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContract(PostgresServer postgres) : StoreContract
{
    protected override async Task<StoreBinding> BindAsync() => await StoreBinding.PostgresAsync(await postgres.CreateDatabaseAsync());
    protected override async Task<StoreBinding> BindUnmigratedAsync() => await StoreBinding.PostgresAsync(await postgres.CreateDatabaseAsync(), migrate: false);
}
