using System.Net;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>
/// DESIGN §2.2.3 and §2.6: the once-only transitions (claim, consume, redeem, rotate) hold when requests race.
/// The affected-row count decides, so exactly one racer wins and nobody gets a 5xx.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Racers = 32;

    private static async Task<ParapetTestServer> ServerAsync()
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new JsonObject { ["trusted"] = true });
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    /// <summary>Starts every racer, then releases them together.</summary>
    private static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> racer)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await start.Task;
            return await racer(i);
        }).ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Parallel_claims_of_one_request_uri_from_32_browsers_have_exactly_one_winner()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        var browsers = Enumerable.Range(0, Racers).Select(_ => server.CreateBrowser()).ToArray();
        try
        {
            var responses = await RaceAsync(Racers, i => browsers[i].AuthorizeAsync("app", requestUri));

            var winners = Enumerable.Range(0, Racers).Where(i => responses[i].StatusCode == HttpStatusCode.Redirect).ToArray();
            var winner = Assert.Single(winners);
            Assert.StartsWith("/login?", Steps.LocationOf(responses[winner]));
            var refused = OAuthErrors.RequestUriClaimedElsewhere();
            foreach (var loser in Enumerable.Range(0, Racers).Where(i => i != winner))
            {
                await Steps.AssertErrorPageAsync(responses[loser], refused.Code, refused.Description);
            }
            var query = await browsers[winner].AuthorizeToRedirectAsync("app", requestUri);
            Assert.Equal(Steps.State, query["state"]);
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        finally
        {
            foreach (var browser in browsers)
            {
                browser.Dispose();
            }
        }
    }

    [Fact]
    public async Task Parallel_consent_approvals_in_one_browser_issue_exactly_one_code()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.CreateUserAsync(Steps.Username);
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();
        using var authorize = await browser.AuthorizeAsync("app", requestUri);
        using var signedIn = await browser.SignInAsync(Steps.LocationOf(authorize));
        using var consent = await browser.GetAsync(Steps.LocationOf(signedIn));
        var html = await consent.Content.ReadAsStringAsync();

        var responses = await RaceAsync(8, _ => browser.DecideAsync(html, "allow"));

        var codes = responses.Where(r => r.StatusCode == HttpStatusCode.Redirect).Select(r => Steps.QueryOf(Steps.LocationOf(r))["code"].ToString()).ToArray();
        Assert.Single(codes);
        var dead = OAuthErrors.RequestUriUnknown();
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
        {
            await Steps.AssertErrorPageAsync(loser, dead.Code, dead.Description);
        }
    }

    [Fact]
    public async Task Parallel_redemptions_of_one_code_have_exactly_one_winner_whose_tokens_are_then_revoked()
    {
        await using var server = await ServerAsync();
        var code = await server.CodeAsync("app");

        var responses = await RaceAsync(16, _ => server.RedeemAsync("app", code));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var invalid = OAuthErrors.CodeInvalid();
        foreach (var loser in responses.Where(r => r != winner))
        {
            await Steps.AssertErrorAsync(loser, HttpStatusCode.BadRequest, invalid.Code, invalid.Description);
        }
        var tokens = await Steps.JsonAsync(winner);
        using var userinfo = await server.UserInfoAsync(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, userinfo.StatusCode);
        using var refresh = await server.RefreshAsync("app", tokens["refresh_token"]!.GetValue<string>());
        var refreshInvalid = OAuthErrors.RefreshTokenInvalid();
        await Steps.AssertErrorAsync(refresh, HttpStatusCode.BadRequest, refreshInvalid.Code, refreshInvalid.Description);
    }

    [Fact]
    public async Task Parallel_refreshes_of_one_refresh_token_have_exactly_one_winner_and_revoke_the_family()
    {
        await using var server = await ServerAsync();
        using var redeemed = await server.RedeemAsync("app", await server.CodeAsync("app"));
        var refreshToken = (await Steps.JsonAsync(redeemed))["refresh_token"]!.GetValue<string>();

        var responses = await RaceAsync(16, _ => server.RefreshAsync("app", refreshToken));

        var winner = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var invalid = OAuthErrors.RefreshTokenInvalid();
        foreach (var loser in responses.Where(r => r != winner))
        {
            await Steps.AssertErrorAsync(loser, HttpStatusCode.BadRequest, invalid.Code, invalid.Description);
        }
        using var next = await server.RefreshAsync("app", (await Steps.JsonAsync(winner))["refresh_token"]!.GetValue<string>());
        await Steps.AssertErrorAsync(next, HttpStatusCode.BadRequest, invalid.Code, invalid.Description);
    }

    [Fact]
    public async Task Parallel_pushes_all_succeed_with_distinct_request_uris()
    {
        await using var server = await ServerAsync();

        var requestUris = await RaceAsync(Racers, _ => server.PushAsync("app"));

        Assert.Equal(Racers, requestUris.Distinct().Count());
    }

    [Fact]
    public async Task Parallel_full_flows_all_succeed()
    {
        await using var server = await ServerAsync();

        var results = await RaceAsync(8, async _ =>
        {
            var code = await server.CodeAsync("app");
            using var token = await server.RedeemAsync("app", code);
            return token.StatusCode;
        });

        Assert.All(results, status => Assert.Equal(HttpStatusCode.OK, status));
    }
}
