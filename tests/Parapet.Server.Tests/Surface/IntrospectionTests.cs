using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Surface;

/// <summary>RFC 7662 at <c>POST /introspect</c>: active tokens of the caller are described, everything else is <c>active:false</c>.</summary>
public sealed class IntrospectionTests
{
    [Fact]
    public async Task Access_token_of_the_caller_is_active_with_its_claims()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        var jwt = new JsonWebToken(tokens.AccessToken);

        using var response = await server.IntrospectAsync(SurfaceSteps.App, tokens.AccessToken, "access_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var body = await Steps.JsonAsync(response);
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal("openid profile offline_access", body["scope"]!.GetValue<string>());
        Assert.Equal(SurfaceSteps.App, body["client_id"]!.GetValue<string>());
        Assert.Equal(jwt.Subject, body["sub"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero).ToUnixTimeSeconds(), body["exp"]!.GetValue<long>());
        Assert.Equal(new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero).ToUnixTimeSeconds(), body["iat"]!.GetValue<long>());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(ParapetTestServer.Issuer, body["iss"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refresh_token_of_the_caller_is_active_with_its_claims()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        var now = server.Time.GetUtcNow().ToUnixTimeSeconds();

        using var response = await server.IntrospectAsync(SurfaceSteps.App, tokens.RefreshToken, "refresh_token");

        var body = await Steps.JsonAsync(response);
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal("openid profile offline_access", body["scope"]!.GetValue<string>());
        Assert.Equal(SurfaceSteps.App, body["client_id"]!.GetValue<string>());
        Assert.Equal(new JsonWebToken(tokens.AccessToken).Subject, body["sub"]!.GetValue<string>());
        Assert.Equal(now, body["iat"]!.GetValue<long>());
        Assert.Equal(now + 86400, body["exp"]!.GetValue<long>());
        Assert.Equal("refresh_token", body["token_type"]!.GetValue<string>());
        Assert.Equal(ParapetTestServer.Issuer, body["iss"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task Unknown_token_is_inactive(string token)
    {
        await using var server = await SurfaceSteps.ServerAsync();

        using var response = await server.IntrospectAsync(SurfaceSteps.App, token);

        await SurfaceSteps.AssertInactiveAsync(response);
    }

    [Fact]
    public async Task Random_handle_shaped_like_a_refresh_token_is_inactive()
    {
        await using var server = await SurfaceSteps.ServerAsync();

        using var response = await server.IntrospectAsync(SurfaceSteps.App, Hashing.NewHandle());

        await SurfaceSteps.AssertInactiveAsync(response);
    }

    [Fact]
    public async Task Expired_access_token_is_inactive()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        server.Time.Advance(TimeSpan.FromSeconds(300 + 31));
        using var response = await server.IntrospectAsync(SurfaceSteps.App, tokens.AccessToken);

        await SurfaceSteps.AssertInactiveAsync(response);
    }

    [Fact]
    public async Task Expired_refresh_token_is_inactive()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        server.Time.Advance(TimeSpan.FromSeconds(86400));
        using var response = await server.IntrospectAsync(SurfaceSteps.App, tokens.RefreshToken);

        await SurfaceSteps.AssertInactiveAsync(response);
    }

    [Fact]
    public async Task Rotated_refresh_token_is_inactive_and_its_successor_active()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        using var refreshed = await server.RefreshAsync(SurfaceSteps.App, tokens.RefreshToken);
        var successor = (await Steps.JsonAsync(refreshed))["refresh_token"]!.GetValue<string>();

        using var response = await server.IntrospectAsync(SurfaceSteps.App, tokens.RefreshToken);

        await SurfaceSteps.AssertInactiveAsync(response);
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, successor));
    }

    [Fact]
    public async Task Token_of_another_client_is_inactive_for_the_caller()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var access = await server.IntrospectAsync(SurfaceSteps.Other, tokens.AccessToken);
        using var refresh = await server.IntrospectAsync(SurfaceSteps.Other, tokens.RefreshToken);

        await SurfaceSteps.AssertInactiveAsync(access);
        await SurfaceSteps.AssertInactiveAsync(refresh);
    }

    [Fact]
    public async Task Admin_client_may_introspect_any_clients_token()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await server.IntrospectAsAdminAsync(tokens.AccessToken);

        var body = await Steps.JsonAsync(response);
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal(SurfaceSteps.App, body["client_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_token_type_hint_is_not_an_error()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var wrongHint = await server.IntrospectAsync(SurfaceSteps.App, tokens.AccessToken, "refresh_token");
        using var unknownHint = await server.IntrospectAsync(SurfaceSteps.App, tokens.RefreshToken, "pasta");

        Assert.True((await Steps.JsonAsync(wrongHint))["active"]!.GetValue<bool>());
        Assert.True((await Steps.JsonAsync(unknownHint))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Request_without_token_is_invalid_request()
    {
        await using var server = await SurfaceSteps.ServerAsync();

        using var response = await SurfaceSteps.PostAsync(server, "/introspect", ParapetTestServer.Basic(SurfaceSteps.App, ParapetTestServer.ClientSecret), null, null);

        var error = OAuthErrors.MissingParameter("token");
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, error.Code, error.Description);
    }

    [Fact]
    public async Task Caller_with_a_wrong_secret_is_invalid_client()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await SurfaceSteps.PostAsync(server, "/introspect", ParapetTestServer.Basic(SurfaceSteps.App, "wrong-wrong-wrong-wrong-wrong-wrong"), tokens.AccessToken, null);

        var error = OAuthErrors.ClientAuthenticationFailed(basicTried: true);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, error.Code, error.Description);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Unauthenticated_caller_is_invalid_client()
    {
        await using var server = await SurfaceSteps.ServerAsync();

        using var response = await SurfaceSteps.PostAsync(server, "/introspect", null, "anything", null);

        var error = OAuthErrors.ClientAuthenticationFailed(basicTried: false);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(error.Code, (await Steps.JsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Public_client_may_not_introspect()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        await server.CreateClientAsync("spa", new JsonObject { ["token_endpoint_auth_method"] = "none" });

        using var http = server.CreateClient();
        using var response = await http.PostAsync("/introspect", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "spa", ["token"] = "x" }));

        var error = OAuthErrors.PublicClientCannotIntrospect();
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, error.Code, error.Description);
    }

    [Fact]
    public async Task Introspection_flag_off_is_access_denied()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        await server.DisableAsync(FeatureFlagCatalog.Introspection);

        using var response = await server.IntrospectAsync(SurfaceSteps.App, tokens.AccessToken);

        var error = OAuthErrors.FeatureDisabled(FeatureFlagCatalog.Introspection);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Forbidden, error.Code, error.Description);
    }

    [Fact]
    public async Task Get_is_method_not_allowed()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var http = server.CreateClient();

        using var response = await http.GetAsync("/introspect");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }
}
