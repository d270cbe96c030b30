using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.Surface;

namespace Parapet.Server.Tests.Dpop;

/// <summary>RFC 9449 §5: public clients' refresh tokens stay bound to their key; dpop_bound_access_tokens clients always prove one.</summary>
public sealed class DpopGrantTests
{
    private static async Task<(string RefreshToken, string Jkt)> PublicTokensAsync(ParapetTestServer server, DpopKey key)
    {
        var code = await server.CodeAsync(proof: null, publicClient: true);
        using var token = await server.RedeemAsync(code, publicClient: true, key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));
        var body = await Steps.JsonAsync(token);
        Assert.True(token.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return (body["refresh_token"]!.GetValue<string>(), key.Jkt);
    }

    [Fact]
    public async Task Public_clients_bound_refresh_token_is_refused_with_another_key()
    {
        await using var server = await DpopSteps.ServerAsync();
        var (refreshToken, _) = await PublicTokensAsync(server, DpopKey.Ec());

        using var response = await server.RefreshAsync(refreshToken, publicClient: true, DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", "The refresh token is bound to a DPoP key; send a DPoP proof signed with that key.");
    }

    [Fact]
    public async Task Public_clients_bound_refresh_token_is_refused_without_a_proof()
    {
        await using var server = await DpopSteps.ServerAsync();
        var (refreshToken, _) = await PublicTokensAsync(server, DpopKey.Ec());

        using var response = await server.RefreshAsync(refreshToken, publicClient: true);

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_grant", "The refresh token is bound to a DPoP key; send a DPoP proof signed with that key.");
    }

    [Fact]
    public async Task Public_clients_bound_refresh_token_works_with_the_same_key_and_introspects_with_it()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Ec();
        var (refreshToken, jkt) = await PublicTokensAsync(server, key);
        using var introspection = await server.IntrospectAsync("app", refreshToken);
        using var admin = await server.IntrospectAsAdminAsync(refreshToken);

        using var response = await server.RefreshAsync(refreshToken, publicClient: true, key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DPoP", (await Steps.JsonAsync(response))["token_type"]!.GetValue<string>());
        Assert.Equal(jkt, (await Steps.JsonAsync(admin))["cnf"]!["jkt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Confidential_clients_refresh_token_is_not_bound_to_the_key()
    {
        await using var server = await DpopSteps.ServerAsync();
        var code = await server.CodeAsync(proof: null);
        using var token = await server.RedeemAsync(code, proofs: DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));
        var refreshToken = (await Steps.JsonAsync(token))["refresh_token"]!.GetValue<string>();

        using var response = await server.RefreshAsync(refreshToken, publicClient: false, DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dpop_bound_access_tokens_client_without_a_proof_is_refused()
    {
        await using var server = await DpopSteps.ServerAsync();
        var created = await server.CreateClientAsync("bound", new JsonObject
        {
            ["dpop_bound_access_tokens"] = true,
            ["grant_types"] = new JsonArray("client_credentials"),
        });

        using var without = await server.PostAsync("/token", new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, "bound");
        using var with = await server.PostAsync("/token", new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, "bound",
            DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));

        Assert.True(created["dpop_bound_access_tokens"]!.GetValue<bool>());
        await Steps.AssertErrorAsync(without, HttpStatusCode.BadRequest, "invalid_dpop_proof", "This client must send a DPoP proof with every token request (dpop_bound_access_tokens).");
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task Clients_default_to_dpop_bound_access_tokens_false()
    {
        await using var server = await DpopSteps.ServerAsync();

        var created = await server.CreateClientAsync("plain");

        Assert.False(created["dpop_bound_access_tokens"]!.GetValue<bool>());
    }
}
