using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Dpop;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.JwtAuth;

namespace Parapet.Server.Tests.Fapi;

/// <summary>
/// FAPI 2.0 end to end with real DPoP proofs (RFC 9449): private_key_jwt, PAR, PKCE S256 and a DPoP key bind the tokens; the
/// tokens are PS256 and verify with the published keys; codes live at most 60 s; DPoP proofs are PS256 or ES256.
/// </summary>
public sealed class FapiDpopTests
{
    private static void WithProof(HttpRequestMessage request, string proof) => request.Headers.TryAddWithoutValidation("DPoP", proof);

    private static async Task<HttpResponseMessage> PushWithProofAsync(ParapetTestServer server, DpopKey key)
    {
        using var http = server.CreateClient();
        var form = Steps.PushParameters(Jwts.AssertionForm(server.Assertion()));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par") { Content = new FormUrlEncodedContent(form) };
        WithProof(request, key.Proof("POST", DpopSteps.ParUrl, server.Time.GetUtcNow()));
        return await http.SendAsync(request);
    }

    private static async Task<string> CodeAsync(ParapetTestServer server, DpopKey key)
    {
        using var pushed = await PushWithProofAsync(server, key);
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        var requestUri = (await pushed.Content.ReadFromJsonAsync<JsonObject>())!["request_uri"]!.GetValue<string>();
        using var browser = server.CreateBrowser();
        return (await browser.AuthorizeToRedirectAsync(FapiServer.ClientId, requestUri))["code"].ToString();
    }

    private static Task<HttpResponseMessage> RedeemAsync(ParapetTestServer server, string code, DpopKey key) =>
        server.TokenWithKeyAsync(FapiServer.RedeemForm(code), r => WithProof(r, key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow())));

    [Theory]
    [InlineData(FapiMode.Server)]
    [InlineData(FapiMode.Client)]
    public async Task A_fapi_flow_with_dpop_issues_bound_ps256_tokens_that_verify_with_the_published_keys(FapiMode mode)
    {
        await using var server = await FapiServer.StartAsync(mode);
        var key = DpopKey.Ec();
        var code = await CodeAsync(server, key);

        using var redeemed = await RedeemAsync(server, code, key);

        var body = await redeemed.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("DPoP", body!["token_type"]!.GetValue<string>());
        var accessToken = body["access_token"]!.GetValue<string>();
        var idToken = body["id_token"]!.GetValue<string>();
        Assert.Equal("PS256", new JsonWebToken(accessToken).Alg);
        Assert.Equal("PS256", new JsonWebToken(idToken).Alg);
        Assert.Equal(key.Jkt, new JsonWebToken(accessToken).GetPayloadValue<JsonElement>("cnf").GetProperty("jkt").GetString());
        // A verifier that only knows /jwks (where the RSA key has no alg) accepts the PS256 ID token.
        using var http = server.CreateClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/jwks"));
        var verified = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = ParapetTestServer.Issuer,
            ValidAudience = FapiServer.ClientId,
            IssuerSigningKeys = jwks.Keys,
            ValidAlgorithms = ["PS256"],
            ValidateLifetime = false,
        });
        Assert.True(verified.IsValid, verified.Exception?.Message);
        // The bound access token works at the resource with a proof of the same key.
        using var userInfo = await server.UserInfoAsync("DPoP", accessToken, key.Proof("GET", DpopSteps.UserInfoUrl, server.Time.GetUtcNow(), accessToken));
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        // And the refresh token is redeemed with a proof too.
        using var refreshed = await server.TokenWithKeyAsync([("grant_type", "refresh_token"), ("refresh_token", body["refresh_token"]!.GetValue<string>())],
            r => WithProof(r, key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow())));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    /// <summary>The refusal without a proof leaves the code unspent: the same code then works with one.</summary>
    [Fact]
    public async Task A_code_refused_for_lack_of_a_proof_is_still_redeemable_with_one()
    {
        await using var server = await FapiServer.StartAsync(FapiMode.Client);
        var key = DpopKey.Ec();
        var code = await CodeAsync(server, key);

        using var refused = await server.TokenWithKeyAsync(FapiServer.RedeemForm(code));
        using var redeemed = await RedeemAsync(server, code, key);

        var expected = OAuthErrors.FapiSenderConstraintRequired();
        await Steps.AssertErrorAsync(refused, HttpStatusCode.BadRequest, expected.Code, expected.Description);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
    }

    /// <summary>§5.3.2.2: with authorizationCodeLifetime 120, a FAPI client's code is dead after 60 s; another client's lives on.</summary>
    [Theory]
    [InlineData(FapiMode.Off, 59, true)]
    [InlineData(FapiMode.Off, 61, true)]
    [InlineData(FapiMode.Client, 59, true)]
    [InlineData(FapiMode.Client, 61, false)]
    public async Task Codes_of_fapi_clients_live_at_most_60_seconds(FapiMode mode, int seconds, bool redeemable)
    {
        await using var server = await FapiServer.StartAsync(mode);
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/authorizationCodeLifetime","value":120}]""");
        var key = DpopKey.Ec();
        var code = await CodeAsync(server, key);
        server.Time.Advance(TimeSpan.FromSeconds(seconds));

        using var redeemed = await RedeemAsync(server, code, key);

        if (redeemable)
        {
            Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
            return;
        }
        var expected = OAuthErrors.CodeInvalid();
        await Steps.AssertErrorAsync(redeemed, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    /// <summary>§5.4.1: a FAPI client's DPoP proofs are PS256 or ES256, at /par and /token; the others may use any supported alg.</summary>
    [Theory]
    [InlineData(FapiMode.Off, "RS256", true)]
    [InlineData(FapiMode.Server, "RS256", false)]
    [InlineData(FapiMode.Client, "RS256", false)]
    [InlineData(FapiMode.Server, "PS256", true)]
    [InlineData(FapiMode.Client, "ES256", true)]
    public async Task Dpop_proofs_of_fapi_clients_are_ps256_or_es256(FapiMode mode, string alg, bool accepted)
    {
        await using var server = await FapiServer.StartAsync(mode);
        var key = alg == "ES256" ? DpopKey.Ec() : DpopKey.Rsa(alg);

        using var pushed = await PushWithProofAsync(server, key);
        using var token = await server.TokenWithKeyAsync([("grant_type", "client_credentials"), ("scope", "profile")],
            r => WithProof(r, key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow())));

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            return;
        }
        var expected = OAuthErrors.DpopAlgorithm(alg, ["PS256", "ES256"]);
        await Steps.AssertErrorAsync(pushed, HttpStatusCode.BadRequest, expected.Code, expected.Description);
        await Steps.AssertErrorAsync(token, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }
}
