using System.Net;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Dpop;

/// <summary>RFC 9449 §8, §9 with <c>dpopUseNonce</c>: proofs need a current server nonce, which any node accepts.</summary>
public sealed class DpopNonceTests
{
    private const string NonceRequired = "Use the server's nonce from the DPoP-Nonce header in the DPoP proof (RFC 9449 §8).";

    private static async Task<ParapetTestServer> NonceServerAsync()
    {
        var server = await DpopSteps.ServerAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/dpopUseNonce","value":true}]""");
        return server;
    }

    private static string NonceOf(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("DPoP-Nonce"));

    [Fact]
    public async Task First_proof_gets_use_dpop_nonce_and_the_retry_with_it_succeeds_with_a_fresh_nonce()
    {
        await using var server = await NonceServerAsync();
        var key = DpopKey.Ec();
        var now = server.Time.GetUtcNow();

        using var first = await server.ClientCredentialsAsync(key.Proof("POST", DpopSteps.TokenUrl, now));
        var nonce = NonceOf(first);
        using var retry = await server.ClientCredentialsAsync(key.Proof("POST", DpopSteps.TokenUrl, now, nonce: nonce));

        await Steps.AssertErrorAsync(first, HttpStatusCode.BadRequest, "use_dpop_nonce", NonceRequired);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.False(string.IsNullOrEmpty(NonceOf(retry)));
    }

    [Fact]
    public async Task Unknown_nonce_is_refused_at_par()
    {
        await using var server = await NonceServerAsync();

        using var response = await server.PostAsync("/par", Steps.PushParameters(), "app",
            DpopKey.Ec().Proof("POST", DpopSteps.ParUrl, server.Time.GetUtcNow(), nonce: "made-up"));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "use_dpop_nonce", NonceRequired);
        Assert.False(string.IsNullOrEmpty(NonceOf(response)));
    }

    [Fact]
    public async Task Nonce_expires_after_two_windows()
    {
        await using var server = await NonceServerAsync();
        var key = DpopKey.Ec();
        using var first = await server.ClientCredentialsAsync(key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));
        var nonce = NonceOf(first);

        server.Time.Advance(TimeSpan.FromSeconds(2 * 300));
        using var late = await server.ClientCredentialsAsync(key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow(), nonce: nonce));

        await Steps.AssertErrorAsync(late, HttpStatusCode.BadRequest, "use_dpop_nonce", NonceRequired);
        Assert.NotEqual(nonce, NonceOf(late));
    }

    [Fact]
    public async Task Nonce_from_one_node_is_accepted_by_another_on_the_same_database()
    {
        await using var nodeA = await NonceServerAsync();
        using var first = await nodeA.ClientCredentialsAsync(DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, nodeA.Time.GetUtcNow()));
        var nonce = NonceOf(first);
        await using var nodeB = await ParapetTestServer.StartAsync(sharedDataDir: nodeA.DataDir);

        using var atB = await nodeB.ClientCredentialsAsync(DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, nodeB.Time.GetUtcNow(), nonce: nonce));

        Assert.Equal(HttpStatusCode.OK, atB.StatusCode);
    }

    [Fact]
    public async Task Userinfo_asks_for_a_nonce_with_a_401_challenge()
    {
        await using var server = await NonceServerAsync();
        var key = DpopKey.Ec();
        var now = server.Time.GetUtcNow();
        using var challenge = await server.ClientCredentialsAsync(key.Proof("POST", DpopSteps.TokenUrl, now));
        var code = await server.CodeAsync(proof: null);
        using var token = await server.RedeemAsync(code, proofs: key.Proof("POST", DpopSteps.TokenUrl, now, nonce: NonceOf(challenge)));
        var accessToken = (await Steps.JsonAsync(token))["access_token"]!.GetValue<string>();

        using var withoutNonce = await server.UserInfoAsync("DPoP", accessToken, key.Proof("GET", DpopSteps.UserInfoUrl, now, accessToken));
        using var withNonce = await server.UserInfoAsync("DPoP", accessToken, key.Proof("GET", DpopSteps.UserInfoUrl, now, accessToken, NonceOf(withoutNonce)));

        await Steps.AssertErrorAsync(withoutNonce, HttpStatusCode.Unauthorized, "use_dpop_nonce", NonceRequired);
        Assert.StartsWith("DPoP error=\"use_dpop_nonce\"", DpopSteps.Challenge(withoutNonce));
        Assert.Equal(HttpStatusCode.OK, withNonce.StatusCode);
        Assert.False(string.IsNullOrEmpty(NonceOf(withNonce)));
    }
}
