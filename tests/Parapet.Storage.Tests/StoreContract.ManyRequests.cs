using Parapet.Protocol.Par;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;
using Parapet.Storage.Sqlite;

namespace Parapet.Storage.Tests;

public abstract partial class StoreContract
{
    /// <summary>
    /// More requests than the SQLite writer appends to one file before it moves to the other (<see cref="AlternatingLogs"/>):
    /// each operation must find a request in whichever table it went to, and decide the same way in both.
    /// </summary>
    [Fact]
    public async Task Claims_consumptions_revocations_listings_and_sweeps_find_every_request_wherever_it_was_stored()
    {
        await using var store = await BindAsync();
        await store.Get<IPropertyStore>().SaveAsync(new ServerProperties { CleanServiceBatchChunkSize = 100 }, 0, default);
        await store.Get<LivePropertySource>().RefreshAsync(default);
        var requests = store.Get<IPushedRequestStore>();
        var tokens = store.Get<ITokenStore>();
        var now = store.Time.GetUtcNow();
        // Four kinds in turn: consumed with a code, claimed by one browser, revoked, left to expire.
        var pushed = Enumerable.Range(0, 3 * AlternatingLogs.RowsPerSwitch).Select(i => Pushed(now, lifetime: i % 4 == 3 ? 10 : 600)).ToArray();
        await Parallel.ForEachAsync(pushed, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (p, ct) => await requests.AddAsync(p, ct));
        Assert.Equal(pushed.Length, (await requests.ListActiveAsync(null, now, 10 * pushed.Length, default)).Count);

        var codes = new List<AuthorizationCode>();
        for (var i = 0; i < pushed.Length; i++)
        {
            var key = pushed[i].Key;
            switch (i % 4)
            {
                case 0:
                    Assert.Equal(ClaimOutcome.Claimed, (await requests.ClaimAsync(key, "app", "browser-a", now, now.AddHours(1), default)).Outcome);
                    var code = Code(now, grantId: $"grant-{i}");
                    Assert.True(await requests.ConsumeAsync(key, "browser-a", now, code, default));
                    Assert.False(await requests.ConsumeAsync(key, "browser-a", now, Code(now), default));
                    Assert.Equal(ClaimOutcome.Unknown, (await requests.ClaimAsync(key, "app", "browser-a", now, now.AddHours(1), default)).Outcome);
                    codes.Add(code);
                    break;
                case 1:
                    var claimed = await requests.ClaimAsync(key, "app", "browser-a", now, now.AddHours(1), default);
                    Assert.Equal(ClaimOutcome.Claimed, claimed.Outcome);
                    Assert.Equal(key, claimed.Request!.Key);
                    Assert.Equal(ClaimOutcome.ClaimedByAnotherBrowser, (await requests.ClaimAsync(key, "app", "browser-b", now, now.AddHours(1), default)).Outcome);
                    Assert.Equal(ClaimOutcome.OtherClient, (await requests.ClaimAsync(key, "evil", "browser-a", now, now.AddHours(1), default)).Outcome);
                    Assert.False(await requests.ConsumeAsync(key, "browser-b", now, null, default));
                    break;
                case 2:
                    Assert.True(await requests.RevokeAsync(key, default));
                    Assert.False(await requests.RevokeAsync(key, default));
                    Assert.Equal(ClaimOutcome.Unknown, (await requests.ClaimAsync(key, "app", "browser-a", now, now.AddHours(1), default)).Outcome);
                    break;
            }
        }
        foreach (var code in codes)
        {
            Assert.Equal(RedeemOutcome.Redeemed, (await tokens.RedeemCodeAsync(code.Key, now, default)).Outcome);
        }

        store.Time.Advance(TimeSpan.FromSeconds(11));
        var later = store.Time.GetUtcNow();
        var active = await requests.ListActiveAsync(null, later, 10 * pushed.Length, default);
        Assert.Equal(pushed.Where((_, i) => i % 4 == 1).Select(p => p.Key).Order(), active.Select(p => p.Key).Order());
        Assert.Equal(pushed.Length / 4, await store.Get<ExpiredObjectSweeper>().SweepOnceAsync(default));
        Assert.Equal(0, await store.Get<ExpiredObjectSweeper>().SweepOnceAsync(default));
    }
}
