using System.Net;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>
/// DESIGN §2.2 rules 4 and 6 and §2.3's prompt/max_age: plain (non-PAR) requests, <c>requirePar</c> / <c>require_par</c>,
/// prompt=none, prompt=login, max_age and the form_post response mode.
/// </summary>
public sealed class AuthorizeRequestModesTests
{
    private static async Task<ParapetTestServer> ServerAsync(JsonObject? client = null)
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", client);
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    private static string PlainUrl(params (string Name, string? Value)[] overrides)
    {
        var parameters = Steps.PushParameters(overrides);
        parameters.TryAdd("client_id", "app");
        return "/authorize?" + string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }

    [Fact]
    public async Task Plain_request_works_when_par_is_not_required()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();

        using var parked = await browser.GetAsync(PlainUrl());
        var resume = Steps.LocationOf(parked);
        Assert.Matches("^/authorize\\?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A[A-Za-z0-9_-]{51}$", resume);
        var requestUri = Steps.QueryOf(resume)["request_uri"].ToString();
        var query = await browser.AuthorizeToRedirectAsync("app", requestUri);

        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]);
        using var token = await server.RedeemAsync("app", query["code"].ToString());
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task Plain_request_parked_in_one_browser_is_refused_in_another()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        using var other = server.CreateBrowser();
        using var parked = await browser.GetAsync(PlainUrl());

        using var response = await other.GetAsync(Steps.LocationOf(parked));

        var expected = OAuthErrors.RequestUriClaimedElsewhere();
        await Steps.AssertErrorPageAsync(response, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Plain_request_by_post_works()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        var form = Steps.PushParameters(("client_id", "app"));

        using var parked = await browser.PostAsync("/authorize", new FormUrlEncodedContent(form));

        Assert.StartsWith("/authorize?client_id=app&request_uri=", Steps.LocationOf(parked));
    }

    public static TheoryData<string, string?, string, string> RedirectedPlainErrors()
    {
        var data = new TheoryData<string, string?, string, string>();
        void Add(string name, string? value, OAuthError error) => data.Add(name, value, error.Code, error.Description);
        Add("scope", "openid unknown", OAuthErrors.ScopeNotAllowed("unknown"));
        Add("code_challenge", null, OAuthErrors.PkceRequired());
        Add("code_challenge_method", "plain", OAuthErrors.PkceMethodNotSupported("plain"));
        Add("response_type", "token", OAuthErrors.UnsupportedResponseTypeValue("token"));
        Add("prompt", "sometimes", OAuthErrors.PromptInvalid("sometimes"));
        return data;
    }

    [Theory]
    [MemberData(nameof(RedirectedPlainErrors))]
    public async Task Invalid_plain_request_with_a_valid_redirect_uri_goes_back_to_the_client(string name, string? value, string error, string description)
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(PlainUrl((name, value)));

        var query = Steps.QueryOf(Steps.LocationOf(response));
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", Steps.LocationOf(response));
        Assert.Equal(error, query["error"]);
        Assert.Equal(description, query["error_description"]);
        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]);
    }

    [Fact]
    public async Task Invalid_plain_request_without_redirect_uri_goes_back_to_the_single_registered_one()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(PlainUrl(("redirect_uri", null), ("scope", "openid unknown")));

        var location = Steps.LocationOf(response);
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", location);
        var expected = OAuthErrors.ScopeNotAllowed("unknown");
        Assert.Equal(expected.Code, Steps.QueryOf(location)["error"]);
        Assert.Equal(Steps.State, Steps.QueryOf(location)["state"]);
    }

    public static TheoryData<string, string?, string, string> ErrorPagePlainErrors()
    {
        var data = new TheoryData<string, string?, string, string>();
        void Add(string name, string? value, OAuthError error) => data.Add(name, value, error.Code, error.Description);
        Add("redirect_uri", "https://evil.example/cb", OAuthErrors.RedirectUriNotRegistered());
        Add("client_id", "nobody", OAuthErrors.UnknownClient());
        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorPagePlainErrors))]
    public async Task Invalid_plain_request_without_a_trusted_redirect_uri_is_an_error_page(string name, string? value, string error, string description)
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(PlainUrl((name, value)));

        await Steps.AssertErrorPageAsync(response, error, description);
    }

    [Fact]
    public async Task Server_requirePar_refuses_a_plain_request_by_redirect_to_the_registered_uri()
    {
        await using var server = await ServerAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/requirePar","value":true}]""");
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(PlainUrl());

        var location = Steps.LocationOf(response);
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", location);
        var query = Steps.QueryOf(location);
        var expected = OAuthErrors.ServerRequiresPar();
        Assert.Equal(expected.Code, query["error"]);
        Assert.Equal(expected.Description, query["error_description"]);
        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Server_requirePar_still_accepts_pushed_requests()
    {
        await using var server = await ServerAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/requirePar","value":true}]""");
        using var browser = server.CreateBrowser();

        var query = await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));

        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    [Fact]
    public async Task Server_requirePar_with_an_unregistered_redirect_uri_is_an_error_page()
    {
        await using var server = await ServerAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/requirePar","value":true}]""");
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(PlainUrl(("redirect_uri", "https://evil.example/cb")));

        var expected = OAuthErrors.RedirectUriNotRegistered();
        await Steps.AssertErrorPageAsync(response, expected.Code, expected.Description);
    }

    [Theory]
    [InlineData("require_par")]
    [InlineData("require_pushed_authorization_requests")]
    public async Task Client_require_par_refuses_a_plain_request_by_redirect(string metadataName)
    {
        await using var server = await ServerAsync(new JsonObject { [metadataName] = true });
        await server.CreateClientAsync("free");
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(PlainUrl());

        var query = Steps.QueryOf(Steps.LocationOf(response));
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", Steps.LocationOf(response));
        var expected = OAuthErrors.ParRequired();
        Assert.Equal(expected.Code, query["error"]);
        Assert.Equal(expected.Description, query["error_description"]);
        Assert.Equal(Steps.State, query["state"]);
        using var free = await browser.GetAsync(PlainUrl(("client_id", "free")));
        Assert.StartsWith("/authorize?client_id=free&request_uri=", Steps.LocationOf(free));
        var pushed = await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));
        Assert.False(string.IsNullOrEmpty(pushed["code"]));
    }

    [Fact]
    public async Task Prompt_none_without_a_session_redirects_with_login_required()
    {
        await using var server = await ServerAsync();
        var requestUri = await server.PushAsync("app", ("prompt", "none"));
        using var browser = server.CreateBrowser();

        using var response = await browser.AuthorizeAsync("app", requestUri);

        var location = Steps.LocationOf(response);
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", location);
        var query = Steps.QueryOf(location);
        var expected = OAuthErrors.LoginRequiredForPromptNone();
        Assert.Equal(expected.Code, query["error"]);
        Assert.Equal(expected.Description, query["error_description"]);
        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]);
        using var again = await browser.AuthorizeAsync("app", requestUri);
        var dead = OAuthErrors.RequestUriUnknown();
        await Steps.AssertErrorPageAsync(again, dead.Code, dead.Description);
    }

    [Fact]
    public async Task Prompt_none_with_a_session_but_no_consent_redirects_with_consent_required()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        using var first = await browser.AuthorizeAsync("app", await server.PushAsync("app"));
        using var signedIn = await browser.SignInAsync(Steps.LocationOf(first));

        using var response = await browser.AuthorizeAsync("app", await server.PushAsync("app", ("prompt", "none")));

        var expected = OAuthErrors.ConsentRequiredForPromptNone();
        var query = Steps.QueryOf(Steps.LocationOf(response));
        Assert.Equal(expected.Code, query["error"]);
        Assert.Equal(expected.Description, query["error_description"]);
    }

    [Fact]
    public async Task Prompt_none_with_a_session_and_consent_returns_a_code_silently()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));

        using var response = await browser.AuthorizeAsync("app", await server.PushAsync("app", ("prompt", "none")));

        var query = Steps.QueryOf(Steps.LocationOf(response));
        Assert.False(string.IsNullOrEmpty(query["code"]));
        Assert.Equal(Steps.State, query["state"]);
    }

    [Fact]
    public async Task Prompt_login_asks_a_signed_in_user_to_sign_in_again()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));
        server.Time.Advance(TimeSpan.FromMinutes(5));
        var requestUri = await server.PushAsync("app", ("prompt", "login"));

        using var response = await browser.AuthorizeAsync("app", requestUri);

        Assert.StartsWith("/login?", Steps.LocationOf(response));
        var query = await browser.AuthorizeToRedirectAsync("app", requestUri);
        Assert.False(string.IsNullOrEmpty(query["code"]));
    }

    [Fact]
    public async Task Max_age_exceeded_asks_the_user_to_sign_in_again()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));
        server.Time.Advance(TimeSpan.FromSeconds(61));

        using var response = await browser.AuthorizeAsync("app", await server.PushAsync("app", ("max_age", "60")));

        Assert.StartsWith("/login?", Steps.LocationOf(response));
    }

    [Fact]
    public async Task Max_age_not_exceeded_keeps_the_session()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));
        server.Time.Advance(TimeSpan.FromSeconds(30));

        using var response = await browser.AuthorizeAsync("app", await server.PushAsync("app", ("max_age", "60")));

        Assert.False(string.IsNullOrEmpty(Steps.QueryOf(Steps.LocationOf(response))["code"]));
    }

    [Fact]
    public async Task Max_age_exceeded_with_prompt_none_is_login_required()
    {
        await using var server = await ServerAsync();
        using var browser = server.CreateBrowser();
        await browser.AuthorizeToRedirectAsync("app", await server.PushAsync("app"));
        server.Time.Advance(TimeSpan.FromSeconds(61));

        using var response = await browser.AuthorizeAsync("app", await server.PushAsync("app", ("max_age", "60"), ("prompt", "none")));

        Assert.Equal(OAuthErrors.LoginRequired, Steps.QueryOf(Steps.LocationOf(response))["error"]);
    }

    [Fact]
    public async Task Form_post_response_mode_answers_with_a_self_posting_form()
    {
        await using var server = await ServerAsync(new JsonObject { ["trusted"] = true });
        var requestUri = await server.PushAsync("app", ("response_mode", "form_post"));
        using var browser = server.CreateBrowser();

        using var response = await browser.CompleteAsync("app", requestUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<form method=\"post\" action=\"{ParapetTestServer.RedirectUri}\">", html);
        var fields = Steps.HiddenFields(html);
        Assert.Equal(["code", "state", "iss"], fields.Keys);
        Assert.Equal(Steps.State, fields["state"]);
        Assert.Equal(ParapetTestServer.Issuer, fields["iss"]);
        using var token = await server.RedeemAsync("app", fields["code"]);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }
}
