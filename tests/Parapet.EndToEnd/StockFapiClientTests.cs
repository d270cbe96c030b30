using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// A stock FAPI 2.0 client library (oauth4webapi, unmodified, from Node.js) against the real server in FAPI 2.0 mode:
/// private_key_jwt, DPoP, PAR, PKCE S256, then /userinfo with the DPoP-bound token (issue 6).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StockFapiClientTests(ParapetProcess server, Chromium chromium, RedirectTarget target)
    : IClassFixture<ParapetProcess>, IClassFixture<RedirectTarget>
{
    [BrowserFact]
    public async Task Oauth4webapi_completes_a_fapi2_flow_with_private_key_jwt_dpop_and_par()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        var publicJwk = new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["kid"] = "fapi-client-1",
            ["alg"] = "ES256",
            ["use"] = "sig",
            ["x"] = Attempt.Base64Url(parameters.Q.X!),
            ["y"] = Attempt.Base64Url(parameters.Q.Y!),
        };
        var privateJwk = publicJwk.DeepClone().AsObject();
        privateJwk["d"] = Attempt.Base64Url(parameters.D!);
        var client = await server.CreateClientAsync(target.RedirectUri, new JsonObject
        {
            ["token_endpoint_auth_method"] = "private_key_jwt",
            ["client_secret"] = null,
            ["jwks"] = new JsonObject { ["keys"] = new JsonArray(publicJwk) },
        }, prefix: "fapi");
        var user = await server.CreateUserAsync();
        await server.PatchConfigAsync(new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/fapiCompatibility", ["value"] = true }));

        await using var script = await NodeClient.StartAsync("fapi-client.mjs", new Dictionary<string, string>
        {
            ["ISSUER"] = server.Issuer,
            ["CLIENT_ID"] = client.ClientId,
            ["CLIENT_JWK"] = privateJwk.ToJsonString(),
            ["CLIENT_ALG"] = "ES256",
            ["REDIRECT_URI"] = client.RedirectUri,
        });
        var authorizeUrl = await script.ReadAsync("AUTHORIZE", TimeSpan.FromSeconds(30));
        Assert.StartsWith(server.Issuer + "/authorize?client_id=", authorizeUrl, StringComparison.Ordinal);
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(authorizeUrl);
        await Flow.SignInAsync(page, user);
        await Flow.AllowAsync(page);
        var landed = await Flow.LandedAsync(page, client);
        Assert.Equal(server.Issuer, landed["iss"]);
        await script.WriteLineAsync(page.Url);
        var result = JsonNode.Parse(await script.ReadAsync("RESULT", TimeSpan.FromSeconds(30)))!.AsObject();

        Assert.Equal("dpop", result["token_type"]!.GetValue<string>().ToLowerInvariant());
        var accessToken = Flow.Claims(result["access_token"]!.GetValue<string>());
        Assert.Equal(43, accessToken["cnf"]!["jkt"]!.GetValue<string>().Length);
        Assert.Equal(client.ClientId, accessToken["client_id"]!.GetValue<string>());
        Assert.Equal(user.Username + "@example.com", result["userinfo"]!["email"]!.GetValue<string>());
        Assert.Equal(result["id_token_sub"]!.GetValue<string>(), result["userinfo"]!["sub"]!.GetValue<string>());
    }
}
