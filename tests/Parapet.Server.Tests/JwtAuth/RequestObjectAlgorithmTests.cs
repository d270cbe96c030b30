using System.Net;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>DESIGN §2.5: request objects signed with the client's key under RS256, PS256 or ES256; FAPI 2.0 (§5.4.1) only PS256 and ES256.</summary>
public sealed class RequestObjectAlgorithmTests
{
    private const string ClientId = "jar-algs";
    private static readonly ClientKey RsaKey = ClientKey.Rsa("jar-algs-rsa");
    private static readonly ClientKey EcKey = ClientKey.Ec("jar-algs-ec");

    private static async Task<ParapetTestServer> ServerAsync(bool fapi = false)
    {
        var server = await ParapetTestServer.StartAsync();
        // FAPI 2.0 §5.3.2.1 admits private_key_jwt (not client_secret_basic), so every row authenticates that way and differs only by the switch.
        await server.CreateClientAsync(ClientId, new JsonObject { ["jwks"] = ClientKey.Set(RsaKey, EcKey), ["token_endpoint_auth_method"] = "private_key_jwt" });
        if (fapi)
        {
            await server.PatchPropertiesAsync("""[{"op":"replace","path":"/fapiCompatibility","value":true}]""");
        }
        return server;
    }

    private static JsonObject Claims(ParapetTestServer server) => new()
    {
        ["iss"] = ClientId,
        ["client_id"] = ClientId,
        ["aud"] = ParapetTestServer.Issuer,
        ["exp"] = server.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(),
        ["response_type"] = "code",
        ["redirect_uri"] = ParapetTestServer.RedirectUri,
        ["scope"] = "openid",
        ["code_challenge"] = Pkce.Challenge,
        ["code_challenge_method"] = "S256",
    };

    private static string Signed(ParapetTestServer server, string alg) => alg switch
    {
        "ES256" => Jwts.Sign(Claims(server), EcKey),
        "HS256" => Jwts.SignWithSecret(Claims(server), ParapetTestServer.ClientSecret),
        _ => Jwts.Sign(Claims(server), RsaKey.As(alg)),
    };

    private static Task<HttpResponseMessage> PushAsync(ParapetTestServer server, string requestObject) =>
        server.PostParWithAssertionAsync(ClientId, RsaKey, new Dictionary<string, string> { ["client_id"] = ClientId, ["request"] = requestObject });

    [Theory]
    [InlineData("RS256", false)]
    [InlineData("PS256", false)]
    [InlineData("ES256", false)]
    [InlineData("PS256", true)]
    [InlineData("ES256", true)]
    public async Task A_request_object_signed_with_an_accepted_alg_is_pushed(string alg, bool fapi)
    {
        await using var server = await ServerAsync(fapi);

        using var response = await PushAsync(server, Signed(server, alg));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>HS256 would need the client secret as a key; request objects are signed with the client's registered public keys only.</summary>
    [Theory]
    [InlineData("HS256", false)]
    [InlineData("RS384", false)]
    [InlineData("RS256", true)]
    [InlineData("HS256", true)]
    public async Task A_request_object_signed_with_another_alg_is_refused_with_the_accepted_ones(string alg, bool fapi)
    {
        await using var server = await ServerAsync(fapi);
        string[] accepted = fapi ? ["PS256", "ES256"] : ["RS256", "PS256", "ES256"];

        using var response = await PushAsync(server, Signed(server, alg));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, OAuthErrors.InvalidRequestObject, OAuthErrors.RequestObjectAlgorithm(alg, accepted).Description);
    }
}
