using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.Surface;

namespace Parapet.Server.Tests.Dpop;

/// <summary>RFC 9449 end to end: a proof at /par and /token binds the code and the tokens; /userinfo and /introspect honour the binding.</summary>
public sealed class DpopFlowTests
{
    [Fact]
    public async Task Proofs_at_par_and_token_give_a_DPoP_token_that_works_at_userinfo_and_introspects_with_its_key()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Ec();
        var now = server.Time.GetUtcNow();
        var code = await server.CodeAsync(key.Proof("POST", DpopSteps.ParUrl, now));

        using var token = await server.RedeemAsync(code, proofs: key.Proof("POST", DpopSteps.TokenUrl, now));
        var body = await Steps.JsonAsync(token);
        var accessToken = body["access_token"]!.GetValue<string>();
        using var userInfo = await server.UserInfoAsync("DPoP", accessToken, key.Proof("GET", DpopSteps.UserInfoUrl, now, accessToken));
        using var introspection = await server.IntrospectAsync("app", accessToken);
        var described = await Steps.JsonAsync(introspection);

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal("DPoP", body["token_type"]!.GetValue<string>());
        Assert.Equal(key.Jkt, ConfirmationOf(accessToken)["jkt"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        Assert.Equal(Steps.Username, (await Steps.JsonAsync(userInfo))["preferred_username"]!.GetValue<string>());
        Assert.Equal("DPoP", described["token_type"]!.GetValue<string>());
        Assert.Equal(key.Jkt, described["cnf"]!["jkt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dpop_jkt_parameter_binds_the_code_to_that_key()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Rsa();
        var code = await server.CodeAsync(proof: null, overrides: ("dpop_jkt", key.Jkt));

        using var token = await server.RedeemAsync(code, proofs: key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(key.Jkt, ConfirmationOf((await Steps.JsonAsync(token))["access_token"]!.GetValue<string>())["jkt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Code_bound_at_par_is_refused_with_another_key()
    {
        await using var server = await DpopSteps.ServerAsync();
        var now = server.Time.GetUtcNow();
        var code = await server.CodeAsync(DpopKey.Ec().Proof("POST", DpopSteps.ParUrl, now));

        using var response = await server.RedeemAsync(code, proofs: DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, now));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant",
            "The authorization code is bound to a DPoP key (dpop_jkt); send a DPoP proof signed with that key.");
    }

    [Fact]
    public async Task Code_bound_by_dpop_jkt_is_refused_without_a_proof()
    {
        await using var server = await DpopSteps.ServerAsync();
        var code = await server.CodeAsync(proof: null, overrides: ("dpop_jkt", DpopKey.Ec().Jkt));

        using var response = await server.RedeemAsync(code);

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant",
            "The authorization code is bound to a DPoP key (dpop_jkt); send a DPoP proof signed with that key.");
    }

    [Fact]
    public async Task Proof_and_dpop_jkt_of_different_keys_at_par_is_invalid_request()
    {
        await using var server = await DpopSteps.ServerAsync();
        var form = Steps.PushParameters(("dpop_jkt", DpopKey.Ec().Jkt));

        using var response = await server.PostAsync("/par", form, "app", DpopKey.Ec().Proof("POST", DpopSteps.ParUrl, server.Time.GetUtcNow()));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request",
            "The 'dpop_jkt' parameter does not match the key of the DPoP proof (RFC 9449 §10.1).");
    }

    [Fact]
    public async Task Proof_and_dpop_jkt_of_the_same_key_at_par_is_accepted()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Ec();

        var requestUri = await server.PushAsync(key.Proof("POST", DpopSteps.ParUrl, server.Time.GetUtcNow()), overrides: ("dpop_jkt", key.Jkt));

        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", requestUri);
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("not base64url ! not base64url ! not base64url")]
    public async Task Malformed_dpop_jkt_is_invalid_request(string jkt)
    {
        await using var server = await DpopSteps.ServerAsync();

        using var response = await server.PostAsync("/par", Steps.PushParameters(("dpop_jkt", jkt)), "app");

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request",
            "The 'dpop_jkt' parameter must be a base64url SHA-256 JWK thumbprint (RFC 9449 §10).");
    }

    [Fact]
    public async Task Plain_authorize_accepts_dpop_jkt_and_binds_the_code()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Ec();
        using var browser = server.CreateBrowser();
        var query = string.Join('&', Steps.PushParameters(("dpop_jkt", key.Jkt), ("client_id", "app"))
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        using var start = await browser.GetAsync("/authorize?" + query);
        // The plain request is parked under a request URI of its own, then runs as a pushed one would.
        var parked = Steps.QueryOf(Steps.LocationOf(start))["request_uri"].ToString();
        var code = (await browser.AuthorizeToRedirectAsync("app", parked))["code"].ToString();

        using var other = await server.RedeemAsync(code, proofs: DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));

        await Steps.AssertErrorAsync(other, HttpStatusCode.BadRequest, "invalid_grant",
            "The authorization code is bound to a DPoP key (dpop_jkt); send a DPoP proof signed with that key.");
    }

    [Fact]
    public async Task Discovery_publishes_the_dpop_algorithms_from_the_property()
    {
        await using var server = await DpopSteps.ServerAsync();
        using var http = server.CreateClient();
        var before = JsonNode.Parse(await http.GetStringAsync("/.well-known/openid-configuration"))!;

        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/dpopSigningAlgValuesSupported","value":["ES256","PS256"]}]""");
        var after = JsonNode.Parse(await http.GetStringAsync("/.well-known/oauth-authorization-server"))!;

        Assert.Equal("""["RS256","PS256","ES256"]""", before["dpop_signing_alg_values_supported"]!.ToJsonString());
        Assert.Equal("""["ES256","PS256"]""", after["dpop_signing_alg_values_supported"]!.ToJsonString());
    }

    internal static JsonObject ConfirmationOf(string accessToken) =>
        JsonNode.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(new JsonWebToken(accessToken).EncodedPayload))!["cnf"]!.AsObject();
}
