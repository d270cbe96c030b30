using System.Net;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>DESIGN §2.1 rules 4 and 6: a pushed request is validated exactly as /authorize would, and errors are 400 JSON.</summary>
public sealed class ParValidationTests
{
    public static TheoryData<string, string?, string, string> BadRequests()
    {
        var data = new TheoryData<string, string?, string, string>();
        void Add(string name, string? value, OAuthError error) => data.Add(name, value, error.Code, error.Description);
        Add("redirect_uri", "https://client.example/other", OAuthErrors.RedirectUriNotRegistered());
        Add("redirect_uri", "https://client.example/cb/", OAuthErrors.RedirectUriNotRegistered());
        Add("redirect_uri", "https://CLIENT.example/cb", OAuthErrors.RedirectUriNotRegistered());
        Add("redirect_uri", "https://client.example/cb?x=1", OAuthErrors.RedirectUriNotRegistered());
        Add("scope", "openid unknown", OAuthErrors.ScopeNotAllowed("unknown"));
        Add("scope", "openid parapet.admin", OAuthErrors.ScopeNotAllowed("parapet.admin"));
        Add("code_challenge", null, OAuthErrors.PkceRequired());
        Add("code_challenge_method", "plain", OAuthErrors.PkceMethodNotSupported("plain"));
        Add("code_challenge_method", "S512", OAuthErrors.PkceMethodNotSupported("S512"));
        Add("code_challenge", "too-short", OAuthErrors.PkceChallengeMalformed());
        Add("response_type", null, OAuthErrors.MissingParameter("response_type"));
        Add("response_type", "token", OAuthErrors.UnsupportedResponseTypeValue("token"));
        Add("response_type", "code id_token", OAuthErrors.UnsupportedResponseTypeValue("code id_token"));
        Add("response_mode", "fragment", OAuthErrors.ResponseModeNotSupported("fragment"));
        Add("prompt", "sometimes", OAuthErrors.PromptInvalid("sometimes"));
        Add("prompt", "none login", OAuthErrors.PromptInvalid("none login"));
        Add("max_age", "-1", OAuthErrors.MaxAgeInvalid());
        Add("max_age", "soon", OAuthErrors.MaxAgeInvalid());
        Add("claims", "{not json", OAuthErrors.ClaimsMalformed());
        Add("claims", "[1,2]", OAuthErrors.ClaimsMalformed());
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Push_that_authorize_would_refuse_is_refused_with_400_json(string name, string? value, string error, string description)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        using var response = await server.PostParAsync(Steps.PushParameters((name, value)), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, error, description);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Missing_pkce_is_accepted_for_a_confidential_client_when_requirePkce_is_off()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/requirePkce","value":false}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(("code_challenge", null), ("code_challenge_method", null)), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Missing_pkce_is_refused_for_a_public_client_even_when_requirePkce_is_off()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("spa", new JsonObject { ["token_endpoint_auth_method"] = "none" });
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/requirePkce","value":false}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(("client_id", "spa"), ("code_challenge", null), ("code_challenge_method", null)), null);

        var expected = OAuthErrors.PkceRequired();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Plain_pkce_is_accepted_only_for_a_client_allowed_it()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("legacy", new JsonObject { ["allow_plain_pkce"] = true });
        var verifier = new string('v', 43);

        using var response = await server.PostParAsync(Steps.PushParameters(("code_challenge", verifier), ("code_challenge_method", "plain")), ParapetTestServer.Basic("legacy", ParapetTestServer.ClientSecret));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Scope_not_registered_for_the_client_is_invalid_scope()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new JsonObject { ["scope"] = "openid" });

        using var response = await server.PostParAsync(Steps.PushParameters(("scope", "openid email")), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        var expected = OAuthErrors.ScopeNotAllowed("email");
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Omitted_redirect_uri_is_the_single_registered_one()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        using var response = await server.PostParAsync(Steps.PushParameters(("redirect_uri", null)), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Omitted_redirect_uri_with_several_registered_is_invalid_request()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new JsonObject { ["redirect_uris"] = new JsonArray(ParapetTestServer.RedirectUri, "https://client.example/other") });

        using var response = await server.PostParAsync(Steps.PushParameters(("redirect_uri", null)), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        var expected = OAuthErrors.RedirectUriRequired();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Unregistered_redirect_uri_is_allowed_for_a_confidential_client_when_parAllowUnregisteredRedirectUri_is_on()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.CreateUserAsync(Steps.Username);
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/parAllowUnregisteredRedirectUri","value":true}]""");
        const string unregistered = "https://client.example/elsewhere";

        var requestUri = await server.PushAsync("app", ("redirect_uri", unregistered));

        using var browser = server.CreateBrowser();
        using var response = await browser.CompleteAsync("app", requestUri);
        Assert.StartsWith(unregistered + "?", Steps.LocationOf(response));
    }

    [Fact]
    public async Task Unregistered_redirect_uri_must_still_be_an_acceptable_uri_when_allowed()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/parAllowUnregisteredRedirectUri","value":true}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(("redirect_uri", "http://evil.example/cb")), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        var expected = OAuthErrors.RedirectUriInvalid();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Unregistered_redirect_uri_is_never_allowed_for_a_public_client()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("spa", new JsonObject { ["token_endpoint_auth_method"] = "none" });
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/parAllowUnregisteredRedirectUri","value":true}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(("client_id", "spa"), ("redirect_uri", "https://client.example/elsewhere")), null);

        var expected = OAuthErrors.RedirectUriNotRegistered();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Response_type_not_registered_for_the_client_is_unauthorized_client()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("machine", new JsonObject { ["grant_types"] = new JsonArray("client_credentials"), ["redirect_uris"] = new JsonArray(ParapetTestServer.RedirectUri) });

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("machine", ParapetTestServer.ClientSecret));

        var expected = OAuthErrors.ResponseTypeNotAllowed("code");
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }
}
