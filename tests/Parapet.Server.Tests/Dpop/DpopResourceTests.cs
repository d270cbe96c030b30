using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Dpop;

/// <summary>RFC 9449 §7 at <c>/userinfo</c>: the scheme must fit the token's binding, and the proof must carry the token's hash.</summary>
public sealed class DpopResourceTests
{
    private const string Algs = "algs=\"RS256 PS256 ES256\"";

    private static async Task<(ParapetTestServer Server, DpopKey Key, string AccessToken)> DpopTokenAsync()
    {
        var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Ec();
        var now = server.Time.GetUtcNow();
        var code = await server.CodeAsync(proof: null);
        using var token = await server.RedeemAsync(code, proofs: key.Proof("POST", DpopSteps.TokenUrl, now));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        return (server, key, (await Steps.JsonAsync(token))["access_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dpop_bound_token_used_as_bearer_is_refused()
    {
        var (server, _, accessToken) = await DpopTokenAsync();
        await using var _s = server;

        using var response = await server.UserInfoAsync("Bearer", accessToken, proof: null);

        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token",
            "The access token is bound to a DPoP key; present it with 'Authorization: DPoP' and a DPoP proof.");
        Assert.StartsWith("DPoP error=\"invalid_token\"", DpopSteps.Challenge(response));
        Assert.EndsWith(Algs, DpopSteps.Challenge(response));
    }

    [Fact]
    public async Task Bearer_token_used_with_the_dpop_scheme_is_refused()
    {
        await using var server = await DpopSteps.ServerAsync();
        var code = await server.CodeAsync(proof: null);
        using var token = await server.RedeemAsync(code);
        var accessToken = (await Steps.JsonAsync(token))["access_token"]!.GetValue<string>();

        using var response = await server.UserInfoAsync("DPoP", accessToken, DpopKey.Ec().Proof("GET", DpopSteps.UserInfoUrl, server.Time.GetUtcNow(), accessToken));

        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_token", "The access token is not DPoP-bound; present it with 'Authorization: Bearer'.");
        Assert.Contains(Algs, DpopSteps.Challenge(response));
    }

    [Fact]
    public async Task Missing_token_is_challenged_for_bearer_and_dpop()
    {
        await using var server = await DpopSteps.ServerAsync();
        using var http = server.CreateClient();

        using var response = await http.GetAsync("/userinfo");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer, DPoP " + Algs, DpopSteps.Challenge(response));
    }

    [Fact]
    public async Task Proof_without_ath_is_refused()
    {
        var (server, key, accessToken) = await DpopTokenAsync();
        await using var _s = server;

        using var response = await server.UserInfoAsync("DPoP", accessToken, key.Proof("GET", DpopSteps.UserInfoUrl, server.Time.GetUtcNow()));

        await AssertProofRefusedAsync(response, "The DPoP proof must contain 'ath', the hash of the access token (RFC 9449 §4.2).");
    }

    [Fact]
    public async Task Proof_with_the_hash_of_another_token_is_refused()
    {
        var (server, key, accessToken) = await DpopTokenAsync();
        await using var _s = server;

        using var response = await server.UserInfoAsync("DPoP", accessToken, key.Proof("GET", DpopSteps.UserInfoUrl, server.Time.GetUtcNow(), "another-token"));

        await AssertProofRefusedAsync(response, "The DPoP proof's 'ath' is not the base64url SHA-256 of the access token.");
    }

    [Fact]
    public async Task Proof_by_another_key_is_refused()
    {
        var (server, _, accessToken) = await DpopTokenAsync();
        await using var _s = server;

        using var response = await server.UserInfoAsync("DPoP", accessToken, DpopKey.Ec().Proof("GET", DpopSteps.UserInfoUrl, server.Time.GetUtcNow(), accessToken));

        await AssertProofRefusedAsync(response, "The DPoP proof's key is not the key the access token is bound to (cnf.jkt).");
    }

    [Fact]
    public async Task Dpop_scheme_without_a_proof_is_refused()
    {
        var (server, _, accessToken) = await DpopTokenAsync();
        await using var _s = server;

        using var response = await server.UserInfoAsync("DPoP", accessToken, proof: null);

        await AssertProofRefusedAsync(response, "A DPoP proof (the DPoP header) is required with a DPoP-bound access token.");
    }

    [Fact]
    public async Task Proof_for_the_token_endpoint_is_refused_at_userinfo()
    {
        var (server, key, accessToken) = await DpopTokenAsync();
        await using var _s = server;

        using var response = await server.UserInfoAsync("DPoP", accessToken, key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow(), accessToken));

        await AssertProofRefusedAsync(response, "The DPoP proof's 'htm' must be the request method 'GET'.");
    }

    [Fact]
    public async Task Dpop_bound_token_is_refused_at_the_admin_api_as_bearer()
    {
        var (server, _, accessToken) = await DpopTokenAsync();
        await using var _s = server;
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);

        using var response = await http.GetAsync("/admin/v1/clients");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task AssertProofRefusedAsync(HttpResponseMessage response, string description)
    {
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_dpop_proof", description);
        Assert.Equal($"DPoP error=\"invalid_dpop_proof\", error_description=\"{description}\", {Algs}", DpopSteps.Challenge(response));
    }
}
