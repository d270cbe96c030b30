using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>The server property <c>requirePar</c> changed at run time through the admin API (DESIGN §2.2.4, §3.1). Own server: it changes a property.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RequireParTests(ParapetProcess server, Chromium chromium, RedirectTarget target)
    : IClassFixture<ParapetProcess>, IClassFixture<RedirectTarget>
{
    [BrowserFact]
    public async Task RequirePar_refuses_plain_authorization_requests()
    {
        var client = await server.CreateClientAsync(target.RedirectUri);
        var user = await server.CreateUserAsync();
        var before = Attempt.New();
        var page = await chromium.NewPageAsync();
        // Control: while requirePar is false, the same kind of plain request reaches the sign-in page.
        await page.GotoAsync(PlainAuthorizeUrl(client, before));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");

        var config = await server.PatchConfigAsync(new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/requirePar", ["value"] = true }));
        Assert.True(config["requirePar"]!.GetValue<bool>());
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(1), "discovery says require_pushed_authorization_requests: true",
            async () => (await server.DiscoveryAsync())["require_pushed_authorization_requests"]?.GetValue<bool>() == true);

        var attempt = Attempt.New();
        var refused = await chromium.NewPageAsync();
        await refused.GotoAsync(PlainAuthorizeUrl(client, attempt));
        var response = await Flow.LandedAsync(refused, client);
        Assert.Equal("invalid_request", response["error"]);
        Assert.Equal(attempt.State, response["state"]);
        Assert.Equal(server.Issuer, response["iss"]);
        Assert.False(response.ContainsKey("code"));

        // A pushed request is still served.
        var pushed = Attempt.New();
        var requestUri = await Flow.PushAsync(server, client, pushed);
        var code = await Flow.AuthorizeInBrowserAsync(await chromium.NewPageAsync(), server, client, requestUri, user);
        Assert.Equal(pushed.State, code["state"]);
    }

    private string PlainAuthorizeUrl(TestClient client, Attempt attempt) =>
        $"{server.Issuer}/authorize?client_id={Uri.EscapeDataString(client.ClientId)}&response_type=code"
        + $"&redirect_uri={Uri.EscapeDataString(client.RedirectUri)}&scope=openid&state={attempt.State}"
        + $"&code_challenge={attempt.CodeChallenge}&code_challenge_method=S256";
}
