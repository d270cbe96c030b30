using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>DESIGN §2.6: authorization_code with PKCE and one-time codes, refresh rotation with family revocation, client_credentials.</summary>
public sealed class TokenEndpointTests
{
    private static async Task<ParapetTestServer> ServerAsync()
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new JsonObject { ["trusted"] = true });
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    private static async Task<JsonObject> TokensAsync(ParapetTestServer server, string code)
    {
        using var response = await server.RedeemAsync("app", code);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Steps.JsonAsync(response);
    }

    [Fact]
    public async Task Token_responses_are_never_cached()
    {
        await using var server = await ServerAsync();

        using var response = await server.RedeemAsync("app", await server.CodeAsync("app"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string?, string, string> BadRedemptions()
    {
        var data = new TheoryData<string, string?, string, string>();
        void Add(string name, string? value, OAuthError error) => data.Add(name, value, error.Code, error.Description);
        Add("code_verifier", null, OAuthErrors.PkceVerifierMissing());
        Add("code_verifier", new string('x', 43), OAuthErrors.PkceVerifierMismatch());
        Add("redirect_uri", "https://client.example/other", OAuthErrors.CodeRedirectUriMismatch());
        Add("code", Base64Url.Encode(new byte[32]), OAuthErrors.CodeInvalid());
        Add("code", null, OAuthErrors.MissingParameter("code"));
        Add("grant_type", null, OAuthErrors.MissingParameter("grant_type"));
        Add("grant_type", "password", OAuthErrors.GrantTypeUnsupported("password"));
        Add("grant_type", "client_credentials", OAuthErrors.GrantTypeNotAllowed("client_credentials"));
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRedemptions))]
    public async Task Bad_code_redemption_is_refused(string name, string? value, string error, string description)
    {
        await using var server = await ServerAsync();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = await server.CodeAsync("app"),
            ["redirect_uri"] = ParapetTestServer.RedirectUri,
            ["code_verifier"] = Pkce.Verifier,
        };
        if (value is null)
        {
            form.Remove(name);
        }
        else
        {
            form[name] = value;
        }

        using var response = await server.PostTokenAsync("app", form.Select(p => (p.Key, p.Value)).ToArray());

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, error, description);
    }

    [Fact]
    public async Task Code_redeemed_by_another_client_is_invalid_grant()
    {
        await using var server = await ServerAsync();
        await server.CreateClientAsync("other");
        var code = await server.CodeAsync("app");

        using var response = await server.PostTokenAsync("other", ("grant_type", "authorization_code"), ("code", code), ("code_verifier", Pkce.Verifier));

        var expected = OAuthErrors.CodeClientMismatch();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Expired_code_is_invalid_grant()
    {
        await using var server = await ServerAsync();
        var code = await server.CodeAsync("app");

        server.Time.Advance(TimeSpan.FromSeconds(61));
        using var response = await server.RedeemAsync("app", code);

        var expected = OAuthErrors.CodeInvalid();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Second_redemption_fails_and_revokes_what_the_first_issued()
    {
        await using var server = await ServerAsync();
        var code = await server.CodeAsync("app");
        var first = await TokensAsync(server, code);
        using (var before = await server.UserInfoAsync(first["access_token"]!.GetValue<string>()))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var second = await server.RedeemAsync("app", code);

        var expected = OAuthErrors.CodeInvalid();
        await Steps.AssertErrorAsync(second, HttpStatusCode.BadRequest, expected.Code, expected.Description);
        using var userinfo = await server.UserInfoAsync(first["access_token"]!.GetValue<string>());
        var revoked = OAuthErrors.TokenInvalid();
        await Steps.AssertErrorAsync(userinfo, HttpStatusCode.Unauthorized, revoked.Code, revoked.Description);
        using var refresh = await server.RefreshAsync("app", first["refresh_token"]!.GetValue<string>());
        var invalid = OAuthErrors.RefreshTokenInvalid();
        await Steps.AssertErrorAsync(refresh, HttpStatusCode.BadRequest, invalid.Code, invalid.Description);
    }

    [Fact]
    public async Task Refresh_rotates_the_refresh_token()
    {
        await using var server = await ServerAsync();
        var first = await TokensAsync(server, await server.CodeAsync("app"));

        using var response = await server.RefreshAsync("app", first["refresh_token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var second = await Steps.JsonAsync(response);
        Assert.NotEqual(first["refresh_token"]!.GetValue<string>(), second["refresh_token"]!.GetValue<string>());
        Assert.Equal("at+jwt", new JsonWebToken(second["access_token"]!.GetValue<string>()).Typ);
        using var third = await server.RefreshAsync("app", second["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task Reuse_of_a_rotated_refresh_token_revokes_the_family()
    {
        await using var server = await ServerAsync();
        var first = await TokensAsync(server, await server.CodeAsync("app"));
        using var rotated = await server.RefreshAsync("app", first["refresh_token"]!.GetValue<string>());
        var second = await Steps.JsonAsync(rotated);

        using var reuse = await server.RefreshAsync("app", first["refresh_token"]!.GetValue<string>());

        var invalid = OAuthErrors.RefreshTokenInvalid();
        await Steps.AssertErrorAsync(reuse, HttpStatusCode.BadRequest, invalid.Code, invalid.Description);
        using var newest = await server.RefreshAsync("app", second["refresh_token"]!.GetValue<string>());
        await Steps.AssertErrorAsync(newest, HttpStatusCode.BadRequest, invalid.Code, invalid.Description);
        using var userinfo = await server.UserInfoAsync(second["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, userinfo.StatusCode);
    }

    [Fact]
    public async Task Reuse_revokes_only_its_own_family()
    {
        await using var server = await ServerAsync();
        var mine = await TokensAsync(server, await server.CodeAsync("app"));
        var yours = await TokensAsync(server, await server.CodeAsync("app"));
        using var rotated = await server.RefreshAsync("app", mine["refresh_token"]!.GetValue<string>());

        using var reuse = await server.RefreshAsync("app", mine["refresh_token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        using var other = await server.RefreshAsync("app", yours["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Refresh_may_narrow_the_scope_but_not_widen_it()
    {
        await using var server = await ServerAsync();
        var first = await TokensAsync(server, await server.CodeAsync("app", ("scope", "openid offline_access")));

        using var wider = await server.PostTokenAsync("app", ("grant_type", "refresh_token"), ("refresh_token", first["refresh_token"]!.GetValue<string>()), ("scope", "openid email"));

        var expected = OAuthErrors.ScopeExceedsGrant("email");
        await Steps.AssertErrorAsync(wider, HttpStatusCode.BadRequest, expected.Code, expected.Description);
        var fresh = await TokensAsync(server, await server.CodeAsync("app", ("scope", "openid offline_access")));
        using var narrower = await server.PostTokenAsync("app", ("grant_type", "refresh_token"), ("refresh_token", fresh["refresh_token"]!.GetValue<string>()), ("scope", "openid"));
        Assert.Equal(HttpStatusCode.OK, narrower.StatusCode);
        Assert.Equal("openid", (await Steps.JsonAsync(narrower))["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refresh_token_of_another_client_is_invalid_grant()
    {
        await using var server = await ServerAsync();
        await server.CreateClientAsync("other");
        var first = await TokensAsync(server, await server.CodeAsync("app"));

        using var response = await server.RefreshAsync("other", first["refresh_token"]!.GetValue<string>());

        var expected = OAuthErrors.RefreshTokenInvalid();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Expired_refresh_token_is_invalid_grant()
    {
        await using var server = await ServerAsync();
        var first = await TokensAsync(server, await server.CodeAsync("app"));

        server.Time.Advance(TimeSpan.FromSeconds(86401));
        using var response = await server.RefreshAsync("app", first["refresh_token"]!.GetValue<string>());

        var expected = OAuthErrors.RefreshTokenInvalid();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Expired_access_token_is_refused_at_userinfo()
    {
        await using var server = await ServerAsync();
        var tokens = await TokensAsync(server, await server.CodeAsync("app"));

        server.Time.Advance(TimeSpan.FromSeconds(300 + 31));
        using var response = await server.UserInfoAsync(tokens["access_token"]!.GetValue<string>());

        var expected = OAuthErrors.TokenInvalid();
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Client_credentials_issues_a_jwt_access_token_without_refresh_or_id_token()
    {
        await using var server = await ServerAsync();
        await server.CreateClientAsync("machine", new JsonObject { ["grant_types"] = new JsonArray("client_credentials"), ["scope"] = "profile email", ["redirect_uris"] = new JsonArray() });

        using var response = await server.PostTokenAsync("machine", ("grant_type", "client_credentials"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var body = await Steps.JsonAsync(response);
        var token = new JsonWebToken(body["access_token"]!.GetValue<string>());
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal("machine", token.Subject);
        Assert.Equal("profile email", body["scope"]!.GetValue<string>());
        Assert.Null(body["refresh_token"]);
        Assert.Null(body["id_token"]);
    }

    [Theory]
    [InlineData("openid")]
    [InlineData("offline_access")]
    [InlineData("unknown")]
    public async Task Client_credentials_with_a_user_or_unknown_scope_is_invalid_scope(string scope)
    {
        await using var server = await ServerAsync();
        await server.CreateClientAsync("machine", new JsonObject { ["grant_types"] = new JsonArray("client_credentials", "authorization_code"), ["scope"] = "openid profile offline_access" });

        using var response = await server.PostTokenAsync("machine", ("grant_type", "client_credentials"), ("scope", scope));

        var expected = OAuthErrors.ScopeNotAllowed(scope);
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Client_credentials_with_a_wrong_secret_is_401_invalid_client()
    {
        await using var server = await ServerAsync();
        await server.CreateClientAsync("machine", new JsonObject { ["grant_types"] = new JsonArray("client_credentials"), ["redirect_uris"] = new JsonArray() });
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = ParapetTestServer.Basic("machine", new string('x', 34));

        using var response = await http.SendAsync(request);

        var expected = OAuthErrors.ClientAuthenticationFailed(basicTried: true);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Token_endpoint_allows_only_post(string method)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/token"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }
}
