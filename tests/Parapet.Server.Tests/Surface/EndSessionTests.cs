using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Surface;

/// <summary>OpenID Connect RP-Initiated Logout 1.0 at <c>/end_session</c>: the session ends; the browser goes only to a registered URI.</summary>
public sealed class EndSessionTests
{
    private static string EndSessionUrl(params (string Name, string Value)[] query) =>
        "/end_session?" + string.Join('&', query.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>True when the browser's session still signs it in: a new authorization goes straight to the client.</summary>
    private static async Task<bool> StillSignedInAsync(ParapetTestServer server, HttpClient browser)
    {
        var requestUri = await Steps.PushAsync(server, SurfaceSteps.App);
        using var response = await Steps.AuthorizeAsync(browser, SurfaceSteps.App, requestUri);
        return !Steps.LocationOf(response).StartsWith("/login?", StringComparison.Ordinal);
    }

    private static async Task AssertSessionCookieDeletedAsync(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies), "no Set-Cookie");
        Assert.Contains(cookies, c => c.StartsWith("parapet.session=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Id_token_hint_with_a_registered_redirect_signs_out_and_returns_with_state()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri), ("state", "s t&1")));

        Assert.Equal(SurfaceSteps.LogoutUri + "?state=s%20t%261", Steps.LocationOf(response));
        await AssertSessionCookieDeletedAsync(response);
        Assert.False(await StillSignedInAsync(server, tokens.Browser));
    }

    [Fact]
    public async Task Post_form_is_accepted_like_the_query()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.PostAsync("/end_session", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id_token_hint"] = tokens.IdToken,
            ["post_logout_redirect_uri"] = SurfaceSteps.LogoutUri,
        }));

        Assert.Equal(SurfaceSteps.LogoutUri, Steps.LocationOf(response));
        Assert.False(await StillSignedInAsync(server, tokens.Browser));
    }

    [Fact]
    public async Task Id_token_hint_without_redirect_shows_the_signed_out_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1 id=\"signed-out\">You are signed out</h1>", await response.Content.ReadAsStringAsync());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        await AssertSessionCookieDeletedAsync(response);
        Assert.False(await StillSignedInAsync(server, tokens.Browser));
    }

    [Fact]
    public async Task Expired_id_token_hint_is_still_accepted()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        server.Time.Advance(TimeSpan.FromHours(2));

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri)));

        Assert.Equal(SurfaceSteps.LogoutUri, Steps.LocationOf(response));
    }

    [Fact]
    public async Task Unregistered_redirect_is_an_error_page_and_the_session_stays()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", "https://evil.example/")));

        var error = OAuthErrors.PostLogoutRedirectUriNotRegistered();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
        Assert.True(await StillSignedInAsync(server, tokens.Browser));
    }

    [Theory]
    [InlineData(SurfaceSteps.LogoutUri + "/")]
    [InlineData(SurfaceSteps.LogoutUri + "?x=1")]
    [InlineData(ParapetTestServer.RedirectUri)]
    public async Task Redirect_must_match_a_registered_post_logout_uri_exactly(string redirect)
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", redirect)));

        var error = OAuthErrors.PostLogoutRedirectUriNotRegistered();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
    }

    [Fact]
    public async Task Redirect_without_a_hint_or_client_id_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(EndSessionUrl(("post_logout_redirect_uri", SurfaceSteps.LogoutUri)));

        var error = OAuthErrors.PostLogoutRedirectUriWithoutClient();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
    }

    [Fact]
    public async Task Id_token_hint_with_a_broken_signature_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        var parts = tokens.IdToken.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(new byte[256])}";

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", forged), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri)));

        var error = OAuthErrors.IdTokenHintInvalid();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
        Assert.True(await StillSignedInAsync(server, tokens.Browser));
    }

    [Fact]
    public async Task Id_token_hint_signed_by_another_key_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        var claims = new JsonWebToken(tokens.IdToken).Claims.ToDictionary(c => c.Type, c => (object)c.Value);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var foreign = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ParapetTestServer.Issuer,
            Audience = SurfaceSteps.App,
            Claims = claims.Where(c => c.Key is "sub" or "sid").ToDictionary(),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256),
        });

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", foreign), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri)));

        var error = OAuthErrors.IdTokenHintInvalid();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
    }

    [Fact]
    public async Task Access_token_as_id_token_hint_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.AccessToken)));

        var error = OAuthErrors.IdTokenHintInvalid();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
    }

    [Fact]
    public async Task Client_id_that_differs_from_the_hints_audience_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken), ("client_id", SurfaceSteps.Other)));

        var error = OAuthErrors.IdTokenHintClientMismatch();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
    }

    [Fact]
    public async Task Unknown_client_id_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(EndSessionUrl(("client_id", "nobody"), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri)));

        var error = OAuthErrors.UnknownClient();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
    }

    [Fact]
    public async Task Without_a_hint_a_signed_in_user_is_asked_and_confirming_signs_out()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var page = await tokens.Browser.GetAsync(EndSessionUrl(("client_id", SurfaceSteps.App), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri), ("state", "xyz")));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"decision\" value=\"logout\"", html);
        Assert.True(await StillSignedInAsync(server, tokens.Browser));

        using var confirmed = await tokens.Browser.PostAsync("/end_session/confirm", new FormUrlEncodedContent(Steps.HiddenFields(html)));

        Assert.Equal(SurfaceSteps.LogoutUri + "?state=xyz", Steps.LocationOf(confirmed));
        Assert.False(await StillSignedInAsync(server, tokens.Browser));
    }

    [Fact]
    public async Task Hint_for_another_user_than_the_signed_in_one_asks_first()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        await server.CreateUserAsync("bob");
        using var alice = await server.SignInAsync();
        using var bobBrowser = server.CreateBrowser();
        var requestUri = await Steps.PushAsync(server, SurfaceSteps.App);
        using var login = await Steps.AuthorizeAsync(bobBrowser, SurfaceSteps.App, requestUri);
        using var signedIn = await bobBrowser.SignInAsync(Steps.LocationOf(login), "bob");

        using var response = await bobBrowser.GetAsync(EndSessionUrl(("id_token_hint", alice.IdToken)));

        Assert.Contains("name=\"decision\" value=\"logout\"", await response.Content.ReadAsStringAsync());
        Assert.True(await StillSignedInAsync(server, bobBrowser));
    }

    [Fact]
    public async Task Confirmation_without_the_antiforgery_token_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await tokens.Browser.PostAsync("/end_session/confirm", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = SurfaceSteps.App,
            ["post_logout_redirect_uri"] = SurfaceSteps.LogoutUri,
        }));

        var error = OAuthErrors.LogoutFormInvalid();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
        Assert.True(await StillSignedInAsync(server, tokens.Browser));
    }

    [Fact]
    public async Task Tampered_redirect_in_the_confirmation_is_an_error_page()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        using var page = await tokens.Browser.GetAsync(EndSessionUrl(("client_id", SurfaceSteps.App), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri)));
        var fields = Steps.HiddenFields(await page.Content.ReadAsStringAsync());
        fields["post_logout_redirect_uri"] = "https://evil.example/";

        using var response = await tokens.Browser.PostAsync("/end_session/confirm", new FormUrlEncodedContent(fields));

        var error = OAuthErrors.PostLogoutRedirectUriNotRegistered();
        await Steps.AssertErrorPageAsync(response, error.Code, error.Description);
    }

    [Fact]
    public async Task Browser_without_a_session_is_sent_back_at_once()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(EndSessionUrl(("client_id", SurfaceSteps.App), ("post_logout_redirect_uri", SurfaceSteps.LogoutUri)));

        Assert.Equal(SurfaceSteps.LogoutUri, Steps.LocationOf(response));
    }

    [Fact]
    public async Task End_session_flag_off_is_access_denied_and_the_session_stays()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        await server.DisableAsync(FeatureFlagCatalog.EndSession);

        using var response = await tokens.Browser.GetAsync(EndSessionUrl(("id_token_hint", tokens.IdToken)));

        var error = OAuthErrors.FeatureDisabled(FeatureFlagCatalog.EndSession);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Forbidden, error.Code, error.Description);
        Assert.True(await StillSignedInAsync(server, tokens.Browser));
    }

    [Theory]
    [InlineData("http://client.example/bye")]
    [InlineData("https://client.example/bye#x")]
    [InlineData("bye")]
    public async Task Post_logout_redirect_uris_follow_the_redirect_uri_rules(string uri)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PostAsJsonAsync("/admin/v1/clients", new JsonObject
        {
            ["client_id"] = "app",
            ["redirect_uris"] = new JsonArray(ParapetTestServer.RedirectUri),
            ["post_logout_redirect_uris"] = new JsonArray(uri),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_redirect_uri", (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_logout_redirect_uris_are_stored_and_shown()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        var created = await server.CreateClientAsync("app", new JsonObject { ["post_logout_redirect_uris"] = new JsonArray("http://127.0.0.1:4000/bye", SurfaceSteps.LogoutUri) });
        using var shown = await admin.GetAsync("/admin/v1/clients/app");

        Assert.Equal(["http://127.0.0.1:4000/bye", SurfaceSteps.LogoutUri], created["post_logout_redirect_uris"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(created["post_logout_redirect_uris"]!.ToJsonString(), (await shown.JsonAsync())["post_logout_redirect_uris"]!.ToJsonString());
    }
}
