using System.Net;
using Parapet.Protocol;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Surface;

/// <summary>RFC 7009 at <c>POST /revoke</c>: a client's own token ends its whole grant; anything else is a quiet 200.</summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task Revoking_a_refresh_token_ends_its_grant_with_the_access_tokens()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await server.RevokeAsync(SurfaceSteps.App, tokens.RefreshToken, "refresh_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        using var refresh = await server.RefreshAsync(SurfaceSteps.App, tokens.RefreshToken);
        var invalid = OAuthErrors.RefreshTokenInvalid();
        await Steps.AssertErrorAsync(refresh, HttpStatusCode.BadRequest, invalid.Code, invalid.Description);
        using var userInfo = await server.UserInfoAsync(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
        Assert.False(await server.IsActiveAsync(SurfaceSteps.App, tokens.AccessToken));
        Assert.False(await server.IsActiveAsync(SurfaceSteps.App, tokens.RefreshToken));
    }

    [Fact]
    public async Task Revoking_an_access_token_ends_its_grant_with_the_refresh_token()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await server.RevokeAsync(SurfaceSteps.App, tokens.AccessToken, "access_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var userInfo = await server.UserInfoAsync(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
        using var refresh = await server.RefreshAsync(SurfaceSteps.App, tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [Fact]
    public async Task Revoking_one_grant_leaves_the_users_other_grants_alone()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var first = await server.SignInAsync();
        using var second = await server.SignInAsync();

        using var response = await server.RevokeAsync(SurfaceSteps.App, first.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, second.AccessToken));
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, second.RefreshToken));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public async Task Unknown_token_is_answered_200(string token)
    {
        await using var server = await SurfaceSteps.ServerAsync();

        using var response = await server.RevokeAsync(SurfaceSteps.App, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Random_handle_is_answered_200()
    {
        await using var server = await SurfaceSteps.ServerAsync();

        using var response = await server.RevokeAsync(SurfaceSteps.App, Hashing.NewHandle(), "refresh_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_of_another_client_is_answered_200_and_nothing_is_revoked()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var access = await server.RevokeAsync(SurfaceSteps.Other, tokens.AccessToken);
        using var refresh = await server.RevokeAsync(SurfaceSteps.Other, tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, access.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, tokens.AccessToken));
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, tokens.RefreshToken));
    }

    [Fact]
    public async Task Unknown_token_type_hint_is_not_an_error_and_the_token_is_revoked()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await server.RevokeAsync(SurfaceSteps.App, tokens.RefreshToken, "id_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await server.IsActiveAsync(SurfaceSteps.App, tokens.RefreshToken));
    }

    [Fact]
    public async Task Revoking_twice_is_answered_200_both_times()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var first = await server.RevokeAsync(SurfaceSteps.App, tokens.RefreshToken);
        using var second = await server.RevokeAsync(SurfaceSteps.App, tokens.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Request_without_token_is_invalid_request()
    {
        await using var server = await SurfaceSteps.ServerAsync();

        using var response = await SurfaceSteps.PostAsync(server, "/revoke", ParapetTestServer.Basic(SurfaceSteps.App, ParapetTestServer.ClientSecret), null, "refresh_token");

        var error = OAuthErrors.MissingParameter("token");
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, error.Code, error.Description);
    }

    [Fact]
    public async Task Caller_with_a_wrong_secret_is_invalid_client_and_nothing_is_revoked()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();

        using var response = await SurfaceSteps.PostAsync(server, "/revoke", ParapetTestServer.Basic(SurfaceSteps.App, "wrong-wrong-wrong-wrong-wrong-wrong"), tokens.RefreshToken, null);

        var error = OAuthErrors.ClientAuthenticationFailed(basicTried: true);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, error.Code, error.Description);
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, tokens.RefreshToken));
    }

    [Fact]
    public async Task Revoke_token_flag_off_is_access_denied_and_nothing_is_revoked()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var tokens = await server.SignInAsync();
        await server.DisableAsync(FeatureFlagCatalog.RevokeToken);

        using var response = await server.RevokeAsync(SurfaceSteps.App, tokens.RefreshToken);

        var error = OAuthErrors.FeatureDisabled(FeatureFlagCatalog.RevokeToken);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Forbidden, error.Code, error.Description);
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, tokens.RefreshToken));
    }

    [Fact]
    public async Task Get_is_method_not_allowed()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var http = server.CreateClient();

        using var response = await http.GetAsync("/revoke");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
