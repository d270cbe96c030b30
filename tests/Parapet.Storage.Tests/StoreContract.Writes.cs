using Parapet.Protocol.Par;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;

namespace Parapet.Storage.Tests;

/// <summary>The push writer's group commit: what a batch stores, and that one failing row costs only its own push.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task Every_field_of_a_pushed_request_survives_the_store_including_non_ascii_text()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var now = store.Time.GetUtcNow();
        var request = new AuthorizationRequest
        {
            ClientId = "app",
            ResponseType = "code",
            RedirectUri = "https://client.example/cb?x=\"1\"&y=é",
            Scope = "openid profile",
            State = "état ✓ \u00A0 \"quoted\" \\ back",
            Nonce = "nonce-日本",
            CodeChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            CodeChallengeMethod = "S256",
            ResponseMode = "form_post",
            Prompt = "login consent",
            MaxAge = "300",
            Claims = """{"id_token":{"name":{"essential":true}}}""",
            LoginHint = "ana@example.org",
            UiLocales = "fr-CA fr",
            AcrValues = "urn:acr:1",
            Display = "page",
            DpopJkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
        };
        var key = RequestUri.KeyOfReference(RequestUri.NewReference(now));
        var pushed = new PushedRequest(key, "app", request, now, now.AddSeconds(90), ViaPar: false, RedirectUriRegistered: false, ClaimedBy: "browser-a");

        await requests.AddAsync(pushed, default);
        var (outcome, stored) = await requests.ClaimAsync(key, "app", "browser-a", now, now.AddHours(1), default);

        Assert.Equal(ClaimOutcome.Claimed, outcome);
        Assert.Equal(request, stored!.Request);
        Assert.False(stored.ViaPar);
        Assert.False(stored.RedirectUriRegistered);
        Assert.Equal("browser-a", stored.ClaimedBy);
        Assert.Equal(now.ToUnixTimeMilliseconds(), stored.CreatedAt.ToUnixTimeMilliseconds());
        // Already claimed when stored, so the claim kept its expiry instead of stretching it to the login's.
        Assert.Equal(now.AddSeconds(90).ToUnixTimeMilliseconds(), stored.ExpiresAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_push_under_a_key_already_stored_fails_alone_and_its_batch_neighbours_are_stored()
    {
        await using var store = await BindAsync();
        var requests = store.Get<IPushedRequestStore>();
        var now = store.Time.GetUtcNow();
        var taken = Pushed(now);
        await requests.AddAsync(taken, default);
        var neighbours = Enumerable.Range(0, Racers).Select(i => Pushed(now) with { Request = taken.Request with { State = $"s{i}" } }).ToList();
        var duplicate = taken with { Request = taken.Request with { State = "duplicate" } };

        // Queued together, so most of them share the writer's transactions with the duplicate.
        var pushes = neighbours.Select(p => requests.AddAsync(p, default)).Append(requests.AddAsync(duplicate, default)).ToList();
        var outcomes = await Task.WhenAll(pushes.Select(async push =>
        {
            try
            {
                await push;
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }));

        Assert.Equal(Racers, outcomes.Count(stored => stored));
        Assert.False(outcomes[^1]);
        for (var i = 0; i < Racers; i++)
        {
            var (outcome, stored) = await requests.ClaimAsync(neighbours[i].Key, "app", "browser", now, now.AddHours(1), default);
            Assert.Equal(ClaimOutcome.Claimed, outcome);
            Assert.Equal($"s{i}", stored!.Request.State);
        }
        var (_, original) = await requests.ClaimAsync(taken.Key, "app", "browser", now, now.AddHours(1), default);
        Assert.Equal("s", original!.Request.State);
    }
}
