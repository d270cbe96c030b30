using Parapet.Protocol;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;

namespace Parapet.Storage.Tests;

/// <summary>RFC 9449 bindings in the store: the jkt of a pushed request (JSON), of a code and of a refresh token (columns).</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task Dpop_key_bindings_of_pushed_requests_codes_and_refresh_tokens_round_trip()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var tokens = store.Get<ITokenStore>();
        var now = store.Time.GetUtcNow();
        var jkt = Hashing.Sha256("a DPoP key");
        var plain = Pushed(now);
        var pushed = plain with { Request = plain.Request with { DpopJkt = jkt } };
        await requests.AddAsync(pushed, default);

        var claimed = await requests.ClaimAsync(pushed.Key, "app", "b", now, now.AddHours(1), default);
        var code = Code(now) with { DpopJkt = jkt };
        Assert.True(await requests.ConsumeAsync(pushed.Key, "b", now, code, default));
        var (outcome, redeemed) = await tokens.RedeemCodeAsync(code.Key, now, default);
        var bound = new RefreshToken(Hashing.Sha256("rt-bound"), "app", "user-1", "openid", now, now.AddDays(1), "family-b", now, jkt);
        var unbound = new RefreshToken(Hashing.Sha256("rt-unbound"), "app", "user-1", "openid", now, now.AddDays(1), "family-u", now);
        await tokens.AddRefreshTokenAsync(bound, default);
        await tokens.AddRefreshTokenAsync(unbound, default);

        Assert.Equal(jkt, claimed.Request!.Request.DpopJkt);
        Assert.Equal(RedeemOutcome.Redeemed, outcome);
        Assert.Equal(jkt, redeemed!.DpopJkt);
        Assert.Equal(jkt, (await tokens.FindRefreshTokenAsync(bound.Key, now, default))!.Token.DpopJkt);
        Assert.Equal(jkt, (await tokens.UseRefreshTokenAsync(bound.Key, now, default)).Token!.DpopJkt);
        Assert.Null((await tokens.FindRefreshTokenAsync(unbound.Key, now, default))!.Token.DpopJkt);
        Assert.Null((await tokens.UseRefreshTokenAsync(unbound.Key, now, default)).Token!.DpopJkt);
    }
}
