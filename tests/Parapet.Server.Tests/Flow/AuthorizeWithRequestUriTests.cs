using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>DESIGN §2.2 rules 1, 2, 3, 5 and 7: /authorize with a pushed request's URI, through login and consent to the code.</summary>
public sealed class AuthorizeWithRequestUriTests
{
    private static async Task<ParapetTestServer> ServerAsync(JsonObject? client = null)
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", client);
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    [Fact]
    public async Task Full_flow_from_push_to_userinfo()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        using var authorize = await browser.AuthorizeAsync("app", requestUri);
        var login = Steps.LocationOf(authorize);
        Assert.StartsWith("/login?return_url=", login);
        Assert.Contains(authorize.Headers.GetValues("Set-Cookie"), c => c.StartsWith("parapet.browser=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        using var signedIn = await browser.SignInAsync(login);
        var back = Steps.LocationOf(signedIn);
        Assert.Equal(Steps.AuthorizeUrl("app", requestUri), back);

        using var consent = await browser.GetAsync(back);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        var consentHtml = await consent.Content.ReadAsStringAsync();
        Assert.Contains("<code>openid</code>", consentHtml);
        Assert.Contains("<code>profile</code>", consentHtml);

        using var decided = await browser.DecideAsync(consentHtml, "allow");
        var location = Steps.LocationOf(decided);
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", location);
        var query = Steps.QueryOf(location);
        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]);
        var code = query["code"].ToString();
        Assert.Equal(32, Base64Url.Decode(code).Length);

        using var token = await server.RedeemAsync("app", code);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.True(token.Headers.CacheControl!.NoStore);
        var tokens = await Steps.JsonAsync(token);
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
        Assert.Equal(300, tokens["expires_in"]!.GetValue<int>());
        Assert.Equal("openid profile offline_access", tokens["scope"]!.GetValue<string>());
        var accessToken = new JsonWebToken(tokens["access_token"]!.GetValue<string>());
        Assert.Equal("at+jwt", accessToken.Typ);
        Assert.Equal(ParapetTestServer.Issuer, accessToken.Issuer);
        Assert.Equal("app", accessToken.GetPayloadValue<string>("client_id"));
        var idToken = new JsonWebToken(tokens["id_token"]!.GetValue<string>());
        Assert.Equal("RS256", idToken.Alg);
        Assert.Equal(Steps.Nonce, idToken.GetPayloadValue<string>("nonce"));
        Assert.Equal(["app"], idToken.Audiences);
        Assert.Equal(accessToken.Subject, idToken.Subject);
        Assert.True(idToken.TryGetPayloadValue<long>("auth_time", out _));
        Assert.True(idToken.TryGetPayloadValue<string>("at_hash", out _));
        Assert.False(string.IsNullOrEmpty(tokens["refresh_token"]?.GetValue<string>()));

        using var userinfo = await server.UserInfoAsync(accessToken.EncodedToken);
        Assert.Equal(HttpStatusCode.OK, userinfo.StatusCode);
        var claims = await Steps.JsonAsync(userinfo);
        Assert.Equal(idToken.Subject, claims["sub"]!.GetValue<string>());
        Assert.Equal(Steps.Username, claims["preferred_username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_announces_iss_in_authorization_responses()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();

        using var response = await http.GetAsync("/.well-known/openid-configuration");

        var document = await Steps.JsonAsync(response);
        Assert.True(document["authorization_response_iss_parameter_supported"]!.GetValue<bool>());
        Assert.Equal(ParapetTestServer.Issuer, document["issuer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trusted_client_skips_consent()
    {
        await using var server = await ServerAsync(new JsonObject { ["trusted"] = true });
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        using var authorize = await browser.AuthorizeAsync("app", requestUri);
        using var signedIn = await browser.SignInAsync(Steps.LocationOf(authorize));
        using var back = await browser.GetAsync(Steps.LocationOf(signedIn));

        var query = Steps.QueryOf(Steps.LocationOf(back));
        Assert.False(string.IsNullOrEmpty(query["code"]));
        Assert.Equal(Steps.State, query["state"]);
    }

    [Fact]
    public async Task Remembered_consent_is_not_asked_again_in_the_same_session()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));

        using var second = await browser.AuthorizeAsync("app", await server.PushAsync("app"));

        var query = Steps.QueryOf(Steps.LocationOf(second));
        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    [Fact]
    public async Task Deny_redirects_with_access_denied_state_and_iss()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        var query = await browser.AuthorizeToRedirectAsync("app", requestUri, decision: "deny");

        var expected = OAuthErrors.UserDeniedConsent();
        Assert.Equal(expected.Code, query["error"]);
        Assert.Equal(expected.Description, query["error_description"]);
        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));
        using var again = await browser.AuthorizeAsync("app", requestUri);
        var dead = OAuthErrors.RequestUriUnknown();
        await Steps.AssertErrorPageAsync(again, dead.Code, dead.Description);
    }

    [Fact]
    public async Task Reload_before_login_resumes_the_same_request()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        using var first = await browser.AuthorizeAsync("app", requestUri);
        using var reload = await browser.AuthorizeAsync("app", requestUri);
        using var reloadAgain = await browser.AuthorizeAsync("app", requestUri);

        Assert.Equal(Steps.LocationOf(first), Steps.LocationOf(reload));
        Assert.Equal(Steps.LocationOf(first), Steps.LocationOf(reloadAgain));
        var query = await browser.AuthorizeToRedirectAsync("app", requestUri);
        Assert.Equal(Steps.State, query["state"]);
        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    [Fact]
    public async Task Reload_of_the_consent_page_shows_it_again()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();
        using var authorize = await browser.AuthorizeAsync("app", requestUri);
        using var signedIn = await browser.SignInAsync(Steps.LocationOf(authorize));
        using var consent = await browser.GetAsync(Steps.LocationOf(signedIn));

        using var reload = await browser.GetAsync(Steps.LocationOf(signedIn));

        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        using var decided = await browser.DecideAsync(await reload.Content.ReadAsStringAsync(), "allow");
        Assert.Equal(Steps.State, Steps.QueryOf(Steps.LocationOf(decided))["state"]);
    }

    [Fact]
    public async Task Second_browser_gets_invalid_request_uri_error_page_never_a_redirect()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var owner = server.CreateBrowser();
        using var intruder = server.CreateBrowser();
        using var claimed = await owner.AuthorizeAsync("app", requestUri);
        Assert.Equal(HttpStatusCode.Redirect, claimed.StatusCode);

        using var response = await intruder.AuthorizeAsync("app", requestUri);

        var expected = OAuthErrors.RequestUriClaimedElsewhere();
        await Steps.AssertErrorPageAsync(response, expected.Code, expected.Description);
        var query = await owner.AuthorizeToRedirectAsync("app", requestUri);
        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    [Fact]
    public async Task Second_browser_asking_for_json_gets_the_json_error()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var owner = server.CreateBrowser();
        using var intruder = server.CreateBrowser();
        using var claimed = await owner.AuthorizeAsync("app", requestUri);
        using var request = new HttpRequestMessage(HttpMethod.Get, Steps.AuthorizeUrl("app", requestUri));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await intruder.SendAsync(request);

        var expected = OAuthErrors.RequestUriClaimedElsewhere();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task After_the_code_is_issued_the_request_uri_is_dead_for_every_browser()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();
        await browser.AuthorizeToRedirectAsync("app", requestUri);
        using var other = server.CreateBrowser();

        using var same = await browser.AuthorizeAsync("app", requestUri);
        using var another = await other.AuthorizeAsync("app", requestUri);

        var expected = OAuthErrors.RequestUriUnknown();
        await Steps.AssertErrorPageAsync(same, expected.Code, expected.Description);
        await Steps.AssertErrorPageAsync(another, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Expired_request_uri_is_an_error_page()
    {
        await using var server = await ServerAsync(new JsonObject { ["par_lifetime"] = 120 });
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        server.Time.Advance(TimeSpan.FromSeconds(121));
        using var response = await browser.AuthorizeAsync("app", requestUri);

        var expected = OAuthErrors.RequestUriUnknown();
        await Steps.AssertErrorPageAsync(response, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Request_uri_just_before_expiry_still_works()
    {
        await using var server = await ServerAsync(new JsonObject { ["par_lifetime"] = 120 });
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        server.Time.Advance(TimeSpan.FromSeconds(119));
        using var response = await browser.AuthorizeAsync("app", requestUri);

        Assert.StartsWith("/login?", Steps.LocationOf(response));
    }

    [Fact]
    public async Task Claimed_request_outlives_expires_in_while_the_user_signs_in()
    {
        await using var server = await ServerAsync(new JsonObject { ["par_lifetime"] = 120 });
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();
        using var authorize = await browser.AuthorizeAsync("app", requestUri);

        server.Time.Advance(TimeSpan.FromMinutes(30));
        var query = await browser.AuthorizeToRedirectAsync("app", requestUri);

        Assert.Equal(Steps.State, query["state"]);
        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    public static TheoryData<string, string, string> BadRequestUris()
    {
        var data = new TheoryData<string, string, string>();
        void Add(string requestUri, OAuthError error) => data.Add(requestUri, error.Code, error.Description);
        Add(RequestUriOf(Base64Url.Encode(new byte[38])), OAuthErrors.RequestUriUnknown());
        Add(RequestUriOf(Base64Url.Encode(new byte[32])), OAuthErrors.RequestUriUnknown()); // the earlier 43-character format
        Add(RequestUriOf(new string('A', 42)), OAuthErrors.RequestUriMalformed());
        Add(RequestUriOf(new string('A', 44)), OAuthErrors.RequestUriMalformed());
        Add(RequestUriOf(new string('A', 50)), OAuthErrors.RequestUriMalformed());
        Add(RequestUriOf(new string('A', 52)), OAuthErrors.RequestUriMalformed());
        Add(RequestUriOf(new string('+', 51)), OAuthErrors.RequestUriMalformed());
        Add(RequestUriOf(new string('+', 43)), OAuthErrors.RequestUriMalformed());
        Add(RequestUriOf(""), OAuthErrors.RequestUriMalformed());
        Add("https://client.example/request.jwt", OAuthErrors.RequestUriNotSupported());
        Add("urn:ietf:params:oauth:request_uri", OAuthErrors.RequestUriNotSupported());
        Add("URN:IETF:PARAMS:OAUTH:REQUEST_URI:" + new string('A', 43), OAuthErrors.RequestUriNotSupported());
        return data;
    }

    private static string RequestUriOf(string reference) => "urn:ietf:params:oauth:request_uri:" + reference;

    [Theory]
    [MemberData(nameof(BadRequestUris))]
    public async Task Unknown_or_malformed_request_uri_is_an_error_page_never_a_redirect(string requestUri, string error, string description)
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();

        using var response = await browser.AuthorizeAsync("app", requestUri);

        await Steps.AssertErrorPageAsync(response, error, description);
    }

    [Fact]
    public async Task Request_uri_presented_by_another_client_is_an_error_page_and_stays_usable_by_its_owner()
    {
        await using var server = await ServerAsync();
        await server.CreateClientAsync("other");
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        using var response = await browser.AuthorizeAsync("other", requestUri);

        var expected = OAuthErrors.RequestUriClientMismatch();
        await Steps.AssertErrorPageAsync(response, expected.Code, expected.Description);
        var query = await browser.AuthorizeToRedirectAsync("app", requestUri);
        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    [Fact]
    public async Task Request_uri_without_client_id_is_an_error_page()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync("/authorize?request_uri=" + Uri.EscapeDataString(requestUri));

        var expected = OAuthErrors.MissingParameter("client_id");
        await Steps.AssertErrorPageAsync(response, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Front_channel_parameters_next_to_request_uri_are_ignored()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app", ("scope", "openid"));
        using var browser = server.CreateBrowser();
        const string extra = "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&scope=openid%20email%20profile&state=evil&nonce=evil"
            + "&response_mode=form_post&prompt=none&code_challenge=" + "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE" + "&code_challenge_method=plain&max_age=0";

        using var authorize = await browser.AuthorizeAsync("app", requestUri, extra);
        Assert.StartsWith("/login?", Steps.LocationOf(authorize));
        using var signedIn = await browser.SignInAsync(Steps.LocationOf(authorize));
        using var consent = await browser.AuthorizeAsync("app", requestUri, extra);
        var html = await consent.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<code>email</code>", html);
        using var decided = await browser.DecideAsync(html, "allow");

        var location = Steps.LocationOf(decided);
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", location);
        var query = Steps.QueryOf(location);
        Assert.Equal(Steps.State, query["state"]);
        using var token = await server.RedeemAsync("app", query["code"].ToString());
        var tokens = await Steps.JsonAsync(token);
        Assert.Equal("openid", tokens["scope"]!.GetValue<string>());
        Assert.Equal(Steps.Nonce, new JsonWebToken(tokens["id_token"]!.GetValue<string>()).GetPayloadValue<string>("nonce"));
    }

    [Fact]
    public async Task Authorize_by_post_with_request_uri_works()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();

        using var response = await browser.PostAsync("/authorize", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "app", ["request_uri"] = requestUri }));

        Assert.StartsWith("/login?", Steps.LocationOf(response));
    }

    [Fact]
    public async Task Request_uri_issued_before_par_was_switched_off_still_works()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");

        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/featureFlags","value":["health_check","registration","userinfo"]}]""");

        using var browser = server.CreateBrowser();
        var query = await browser.AuthorizeToRedirectAsync("app", requestUri);
        Assert.Equal(Steps.State, query["state"]);
        using var token = await server.RedeemAsync("app", query["code"].ToString());
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task Request_uri_of_a_client_disabled_since_the_push_is_an_error_page()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using (var admin = await server.CreateAdminClientAsync())
        {
            using var disable = await admin.PutAsync("/admin/v1/clients/app", System.Net.Http.Json.JsonContent.Create(new JsonObject { ["disabled"] = true }));
            Assert.True(disable.IsSuccessStatusCode, await disable.Content.ReadAsStringAsync());
        }
        using var browser = server.CreateBrowser();

        using var response = await browser.AuthorizeAsync("app", requestUri);

        var expected = OAuthErrors.UnknownClient();
        await Steps.AssertErrorPageAsync(response, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Consent_post_without_antiforgery_token_is_refused()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app");
        using var browser = server.CreateBrowser();
        using var authorize = await browser.AuthorizeAsync("app", requestUri);
        using var signedIn = await browser.SignInAsync(Steps.LocationOf(authorize));

        using var response = await browser.PostAsync("/consent", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "app",
            ["request_uri"] = requestUri,
            ["decision"] = "allow",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
