using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// The pushed-request flow in a real browser against the real server (DESIGN §2.2, §2.3). The tests share one server:
/// each registers its own client and user, and none changes a server property.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserFlowTests(ParapetProcess server, Chromium chromium, RedirectTarget target)
    : IClassFixture<ParapetProcess>, IClassFixture<RedirectTarget>
{
    /// <summary>A fresh client and user, and one request pushed by that client.</summary>
    private async Task<(TestClient Client, TestUser User, Attempt Attempt, string RequestUri)> PushedAsync(JsonObject? clientMetadata = null)
    {
        var client = await server.CreateClientAsync(target.RedirectUri, clientMetadata);
        var user = await server.CreateUserAsync();
        var attempt = Attempt.New();
        return (client, user, attempt, await Flow.PushAsync(server, client, attempt));
    }

    [BrowserFact]
    public async Task Pushed_request_signed_in_and_approved_in_the_browser_yields_tokens_and_userinfo()
    {
        var (client, user, attempt, requestUri) = await PushedAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Screenshots.TakeAsync(page, "login");
        await Flow.SignInAsync(page, user);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Allow Example App?");
        await Assertions.Expect(page.Locator("main li")).ToHaveTextAsync(["openid", "profile", "email"]);
        await Screenshots.TakeAsync(page, "consent");
        await Flow.AllowAsync(page);
        var response = await Flow.LandedAsync(page, client);

        Assert.Equal(attempt.State, response["state"]);
        Assert.Equal(server.Issuer, response["iss"]);
        Assert.False(string.IsNullOrEmpty(response["code"]));
        Assert.Contains(target.Queries, q => q.Contains("code=", StringComparison.Ordinal) && q.Contains(Uri.EscapeDataString(attempt.State), StringComparison.Ordinal));

        var tokens = await Flow.RedeemAsync(server, client, response["code"], attempt);
        var idToken = Flow.Claims(tokens["id_token"]!.GetValue<string>());
        Assert.Equal(attempt.Nonce, idToken["nonce"]!.GetValue<string>());
        Assert.Equal(server.Issuer, idToken["iss"]!.GetValue<string>());
        Assert.Equal(client.ClientId, idToken["aud"]!.GetValue<string>());
        var userInfo = await Flow.UserInfoAsync(server, tokens["access_token"]!.GetValue<string>());
        Assert.Equal(idToken["sub"]!.GetValue<string>(), userInfo["sub"]!.GetValue<string>());
        Assert.Equal(user.Username + "@example.com", userInfo["email"]!.GetValue<string>());
    }

    [BrowserFact]
    public async Task Reload_before_login_resumes_the_same_request()
    {
        var (client, user, attempt, requestUri) = await PushedAsync();
        var page = await chromium.NewPageAsync();
        var authorizeUrl = Flow.AuthorizeUrl(server, client, requestUri);

        await page.GotoAsync(authorizeUrl);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        var reloaded = await page.ReloadAsync();
        Assert.Equal(200, reloaded!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        var again = await page.GotoAsync(authorizeUrl); // the user follows the client's link a second time
        Assert.Equal(200, again!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Flow.SignInAsync(page, user);
        await Flow.AllowAsync(page);
        var response = await Flow.LandedAsync(page, client);

        Assert.Equal(attempt.State, response["state"]);
        var tokens = await Flow.RedeemAsync(server, client, response["code"], attempt);
        Assert.Equal(attempt.Nonce, Flow.Claims(tokens["id_token"]!.GetValue<string>())["nonce"]!.GetValue<string>());
    }

    [BrowserFact]
    public async Task Another_browser_cannot_use_a_claimed_request_uri()
    {
        var (client, user, attempt, requestUri) = await PushedAsync();
        var first = await chromium.NewPageAsync();
        var second = await chromium.NewPageAsync();
        var authorizeUrl = Flow.AuthorizeUrl(server, client, requestUri);

        await first.GotoAsync(authorizeUrl);
        await Assertions.Expect(first.Locator("h1")).ToHaveTextAsync("Sign in");
        var refused = await second.GotoAsync(authorizeUrl);

        await Flow.ShowsErrorPageAsync(second, server, refused, "invalid_request_uri");
        await Screenshots.TakeAsync(second, "error");
        Assert.DoesNotContain(target.Queries, q => q.Contains(Uri.EscapeDataString(attempt.State), StringComparison.Ordinal));
        // The refused attempt did not spoil the request for the browser that claimed it.
        await Flow.SignInAsync(first, user);
        await Flow.AllowAsync(first);
        Assert.Equal(attempt.State, (await Flow.LandedAsync(first, client))["state"]);
    }

    [BrowserFact]
    public async Task Request_uri_is_dead_after_the_code_is_issued()
    {
        var (client, user, attempt, requestUri) = await PushedAsync();
        var page = await chromium.NewPageAsync();
        var response = await Flow.AuthorizeInBrowserAsync(page, server, client, requestUri, user);
        Assert.False(string.IsNullOrEmpty(response["code"]));
        var callbacks = target.Queries.Count(q => q.Contains(Uri.EscapeDataString(attempt.State), StringComparison.Ordinal));

        // The same browser, still signed in, comes back with the same request_uri (back button, replayed link).
        var sameBrowser = await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        await Flow.ShowsErrorPageAsync(page, server, sameBrowser, "invalid_request_uri");
        var otherPage = await chromium.NewPageAsync();
        var otherBrowser = await otherPage.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        await Flow.ShowsErrorPageAsync(otherPage, server, otherBrowser, "invalid_request_uri");

        Assert.Equal(callbacks, target.Queries.Count(q => q.Contains(Uri.EscapeDataString(attempt.State), StringComparison.Ordinal)));
    }

    [BrowserFact]
    public async Task Trusted_client_skips_consent()
    {
        var (client, user, attempt, requestUri) = await PushedAsync(new() { ["trusted"] = true });
        var page = await chromium.NewPageAsync();
        var documents = new List<string>();
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                documents.Add(new Uri(frame.Url).AbsolutePath);
            }
        };

        await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        await Flow.SignInAsync(page, user);
        var response = await Flow.LandedAsync(page, client);

        Assert.Equal(attempt.State, response["state"]);
        // Pages the browser showed: the sign-in form, then the client. No consent page in between.
        Assert.Equal(["/login", "/cb"], documents);
        await Flow.RedeemAsync(server, client, response["code"], attempt);
    }

    [BrowserFact]
    public async Task Deny_on_the_consent_page_returns_access_denied_to_the_client()
    {
        var (client, user, attempt, requestUri) = await PushedAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        await Flow.SignInAsync(page, user);
        await page.Locator("button[name=decision][value=deny]").ClickAsync();
        var response = await Flow.LandedAsync(page, client);

        Assert.Equal("access_denied", response["error"]);
        Assert.Equal(attempt.State, response["state"]);
        Assert.Equal(server.Issuer, response["iss"]);
        Assert.False(response.ContainsKey("code"));
        var again = await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        await Flow.ShowsErrorPageAsync(page, server, again, "invalid_request_uri");
    }

    [BrowserFact]
    public async Task Wrong_password_keeps_the_user_on_the_sign_in_page_with_the_request_intact()
    {
        var (client, user, attempt, requestUri) = await PushedAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        await Flow.SignInAsync(page, user with { Password = "not-the-password" });
        await Assertions.Expect(page.Locator("[role=alert]")).ToHaveTextAsync("The username or password is not correct.");
        await Assertions.Expect(page.Locator("input[name=username]")).ToHaveValueAsync(user.Username);
        await Flow.SignInAsync(page, user);
        await Flow.AllowAsync(page);

        Assert.Equal(attempt.State, (await Flow.LandedAsync(page, client))["state"]);
    }

    [BrowserFact]
    public async Task Signed_in_browser_with_remembered_consent_returns_straight_to_the_client()
    {
        var client = await server.CreateClientAsync(target.RedirectUri);
        var user = await server.CreateUserAsync();
        var page = await chromium.NewPageAsync();
        await Flow.AuthorizeInBrowserAsync(page, server, client, await Flow.PushAsync(server, client, Attempt.New()), user);
        var attempt = Attempt.New();
        var requestUri = await Flow.PushAsync(server, client, attempt);
        var documents = new List<string>();
        page.FrameNavigated += (_, frame) => documents.Add(new Uri(frame.Url).AbsolutePath);

        await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        var response = await Flow.LandedAsync(page, client);

        Assert.Equal(attempt.State, response["state"]);
        Assert.Equal(["/cb"], documents); // no sign-in page, no consent page
        var tokens = await Flow.RedeemAsync(server, client, response["code"], attempt);
        Assert.Equal(attempt.Nonce, Flow.Claims(tokens["id_token"]!.GetValue<string>())["nonce"]!.GetValue<string>());
    }

    [BrowserFact]
    public async Task Login_and_consent_pages_forbid_framing_and_sniffing()
    {
        var (client, user, _, requestUri) = await PushedAsync();
        var page = await chromium.NewPageAsync();

        var login = await page.GotoAsync(Flow.AuthorizeUrl(server, client, requestUri));
        var consentResponse = page.WaitForResponseAsync(r => r.Request.IsNavigationRequest && r.Url.Contains("/authorize?", StringComparison.Ordinal) && r.Status == 200);
        await Flow.SignInAsync(page, user);
        var consent = await consentResponse;
        await Flow.AllowAsync(page);
        await Flow.LandedAsync(page, client);

        foreach (var headers in new[] { await login!.AllHeadersAsync(), await consent.AllHeadersAsync() })
        {
            Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
            Assert.Equal("no-store", headers["cache-control"]);
        }
    }
}
