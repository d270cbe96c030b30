using System.Net;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Fapi;

/// <summary>
/// FAPI 2.0 §5.3.2.2 at /par and /authorize, each rule with the switch off, the server's switch on, and the client's flag on:
/// PAR required, PKCE S256 only, response_type code only, iss in every authorization response.
/// </summary>
public sealed class FapiAuthorizationTests
{
    private static string PlainUrl()
    {
        var parameters = Steps.PushParameters();
        parameters["client_id"] = FapiServer.ClientId;
        return "/authorize?" + string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }

    /// <summary>§5.3.2.2: requests without PAR are refused with requirePar's (or require_par's) own error, by redirect with iss.</summary>
    [Theory]
    [InlineData(FapiMode.Off)]
    [InlineData(FapiMode.Server)]
    [InlineData(FapiMode.Client)]
    public async Task A_plain_authorization_request_is_refused_in_fapi_mode_as_require_par_refuses_it(FapiMode mode)
    {
        await using var server = await FapiServer.StartAsync(mode);
        using var browser = server.CreateBrowser();

        using var response = await browser.GetAsync(PlainUrl());

        var location = Steps.LocationOf(response);
        if (mode == FapiMode.Off)
        {
            Assert.StartsWith("/authorize?client_id=fapi&request_uri=", location); // parked for the login round-trip
            return;
        }
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", location);
        var query = Steps.QueryOf(location);
        var expected = mode == FapiMode.Server ? OAuthErrors.ServerRequiresPar() : OAuthErrors.ParRequired();
        Assert.Equal(expected.Code, query["error"]);
        Assert.Equal(expected.Description, query["error_description"]);
        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]); // RFC 9207, on errors too
        Assert.False(query.ContainsKey("code"));
    }

    /// <summary>RFC 9207 / §5.3.2.2: the authorization response carries iss, whether it brings a code or an error.</summary>
    [Theory]
    [InlineData(FapiMode.Off, "allow")]
    [InlineData(FapiMode.Server, "allow")]
    [InlineData(FapiMode.Client, "allow")]
    [InlineData(FapiMode.Off, "deny")]
    [InlineData(FapiMode.Server, "deny")]
    [InlineData(FapiMode.Client, "deny")]
    public async Task A_pushed_request_comes_back_with_state_and_iss(FapiMode mode, string decision)
    {
        await using var server = await FapiServer.StartAsync(mode);
        using var browser = server.CreateBrowser();

        var query = await browser.AuthorizeToRedirectAsync(FapiServer.ClientId, await server.RequestUriAsync(), decision);

        Assert.Equal(Steps.State, query["state"]);
        Assert.Equal(ParapetTestServer.Issuer, query["iss"]);
        if (decision == "allow")
        {
            Assert.False(string.IsNullOrEmpty(query["code"]));
        }
        else
        {
            Assert.Equal(OAuthErrors.UserDeniedConsent().Code, query["error"]);
            Assert.False(query.ContainsKey("code"));
        }
    }

    /// <summary>§5.3.2.2: PKCE with S256; plain is refused even for a client allowed it, and PKCE is required even when requirePkce is off.</summary>
    [Theory]
    [InlineData(FapiMode.Off, "plain", true)]
    [InlineData(FapiMode.Server, "plain", false)]
    [InlineData(FapiMode.Client, "plain", false)]
    [InlineData(FapiMode.Off, "none", true)]
    [InlineData(FapiMode.Server, "none", false)]
    [InlineData(FapiMode.Client, "none", false)]
    [InlineData(FapiMode.Server, "S256", true)]
    [InlineData(FapiMode.Client, "S256", true)]
    public async Task Pkce_is_s256_only_and_required_in_fapi_mode(FapiMode mode, string method, bool accepted)
    {
        await using var server = await FapiServer.StartAsync(mode, new() { ["allow_plain_pkce"] = true });
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/requirePkce","value":false}]""");
        (string, string?)[] pkce = method switch
        {
            "plain" => [("code_challenge", Pkce.Verifier), ("code_challenge_method", "plain")],
            "none" => [("code_challenge", null), ("code_challenge_method", null)],
            _ => [],
        };

        using var response = await server.PushWithKeyAsync(pkce);

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return;
        }
        var expected = method == "plain" ? OAuthErrors.PkceMethodNotSupported("plain") : OAuthErrors.PkceRequired();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    public static TheoryData<FapiMode, string, string, string> NotCodeFlow()
    {
        var data = new TheoryData<FapiMode, string, string, string>();
        foreach (var mode in Enum.GetValues<FapiMode>())
        {
            data.Add(mode, "response_type", "code id_token", OAuthErrors.UnsupportedResponseTypeValue("code id_token").Description);
            data.Add(mode, "response_type", "token", OAuthErrors.UnsupportedResponseTypeValue("token").Description);
            data.Add(mode, "response_type", "id_token", OAuthErrors.UnsupportedResponseTypeValue("id_token").Description);
            data.Add(mode, "response_mode", "query.jwt", OAuthErrors.ResponseModeNotSupported("query.jwt").Description);
            data.Add(mode, "response_mode", "jwt", OAuthErrors.ResponseModeNotSupported("jwt").Description);
            data.Add(mode, "response_mode", "fragment", OAuthErrors.ResponseModeNotSupported("fragment").Description);
        }
        return data;
    }

    /// <summary>
    /// §5.3.2.2: only the authorization code flow, no implicit or hybrid. This server never offers the others nor JARM, so the
    /// answer is the same in every mode: unsupported_response_type (RFC 6749 §4.1.2.1) or invalid_request for the mode.
    /// </summary>
    [Theory]
    [MemberData(nameof(NotCodeFlow))]
    public async Task Only_response_type_code_with_query_or_form_post_is_accepted(FapiMode mode, string parameter, string value, string description)
    {
        await using var server = await FapiServer.StartAsync(mode);

        using var response = await server.PushWithKeyAsync((parameter, value));

        var code = parameter == "response_type" ? OAuthErrors.UnsupportedResponseType : OAuthErrors.InvalidRequest;
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, code, description);
    }
}
