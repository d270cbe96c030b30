using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Storage;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>DESIGN §2.5 and RFC 9101 §6.1: request objects signed by the client, then encrypted to the server's key.</summary>
public sealed class EncryptedRequestObjectTests
{
    private const string ClientId = "jar-enc";
    private const string ObjectState = "state-from-the-encrypted-object";
    private static readonly ClientKey Key = ClientKey.Rsa("jar-enc-1");
    private static readonly string[] Supported = ["RSA-OAEP-256", "ECDH-ES"];

    private static async Task<ParapetTestServer> ServerAsync(string authMethod = "client_secret_basic")
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync(ClientId, new JsonObject { ["jwks"] = ClientKey.Set(Key), ["trusted"] = true, ["token_endpoint_auth_method"] = authMethod });
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    private static JsonObject Claims(ParapetTestServer server, params (string, JsonNode?)[] overrides)
    {
        var now = server.Time.GetUtcNow();
        return Jwts.Apply(new JsonObject
        {
            ["iss"] = ClientId,
            ["client_id"] = ClientId,
            ["aud"] = ParapetTestServer.Issuer,
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
            ["response_type"] = "code",
            ["redirect_uri"] = ParapetTestServer.RedirectUri,
            ["scope"] = "openid",
            ["state"] = ObjectState,
            ["nonce"] = Steps.Nonce,
            ["code_challenge"] = Pkce.Challenge,
            ["code_challenge_method"] = "S256",
        }, overrides);
    }

    /// <summary>Signed with the client's key, then encrypted to the server's key for <paramref name="alg"/>.</summary>
    private static async Task<string> SignedThenEncryptedAsync(ParapetTestServer server, string alg, params (string, JsonNode?)[] overrides) =>
        Jwes.Encrypt(Jwts.Sign(Claims(server, overrides), Key), await Jwes.ServerKeyAsync(server, alg));

    private static Dictionary<string, string> PushForm(string requestObject) => new() { ["client_id"] = ClientId, ["request"] = requestObject };

    private static Task<HttpResponseMessage> PushAsync(ParapetTestServer server, string requestObject) =>
        server.PostParAsync(PushForm(requestObject), ParapetTestServer.Basic(ClientId, ParapetTestServer.ClientSecret));

    private static async Task AssertRefusedAsync(ParapetTestServer server, HttpResponseMessage response, string description)
    {
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, OAuthErrors.InvalidRequestObject, description);
        await using var db = server.Services.GetRequiredService<IContextFactory>().Create();
        Assert.Equal(0, await db.PushedRequests.CountAsync());
    }

    [Theory]
    [InlineData("RSA-OAEP-256")]
    [InlineData("ECDH-ES")]
    public async Task A_signed_then_encrypted_request_object_goes_through_authorize_and_token(string alg)
    {
        await using var server = await ServerAsync();
        using var pushed = await PushAsync(server, await SignedThenEncryptedAsync(server, alg));
        Assert.True(pushed.StatusCode == HttpStatusCode.Created, await pushed.Content.ReadAsStringAsync());
        var requestUri = (await Steps.JsonAsync(pushed))["request_uri"]!.GetValue<string>();

        using var browser = server.CreateBrowser();
        var query = await browser.AuthorizeToRedirectAsync(ClientId, requestUri);
        using var tokens = await server.RedeemAsync(ClientId, query["code"].ToString());

        Assert.Equal(ObjectState, query["state"].ToString());
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        Assert.Equal("openid", (await Steps.JsonAsync(tokens))["scope"]!.GetValue<string>());
    }

    public static TheoryData<string> Refusals() => new()
    {
        "unknown kid", "alg RSA1_5", "alg RSA-OAEP", "enc A128CBC-HS256", "encrypted to another key", "ciphertext altered", "epk off the curve",
        "claims in the clear", "inner iss is another client", "inner client_id is another client", "inner signature by another key", "inner JWE",
    };

    private static async Task<(string RequestObject, string Description)> RefusalAsync(ParapetTestServer server, string because)
    {
        var rsa = await Jwes.ServerKeyAsync(server, "RSA-OAEP-256");
        var ec = await Jwes.ServerKeyAsync(server, "ECDH-ES");
        var signed = Jwts.Sign(Claims(server), Key);
        return because switch
        {
            "unknown kid" => (Jwes.Encrypt(signed, rsa, ("kid", "not-ours")), OAuthErrors.RequestObjectEncryptionKeyUnknown("not-ours").Description),
            "alg RSA1_5" => (Jwes.Encrypt(signed, rsa, ("alg", "RSA1_5")), OAuthErrors.RequestObjectEncryptionAlgorithm("RSA1_5", Supported).Description),
            "alg RSA-OAEP" => (Jwes.Encrypt(signed, rsa, ("alg", "RSA-OAEP")), OAuthErrors.RequestObjectEncryptionAlgorithm("RSA-OAEP", Supported).Description),
            "enc A128CBC-HS256" => (Jwes.Encrypt(signed, rsa, ("enc", "A128CBC-HS256")), OAuthErrors.RequestObjectEncryptionEnc("A128CBC-HS256", ["A256GCM"]).Description),
            "encrypted to another key" => (Jwes.Encrypt(signed, AnotherRsaKey(rsa)), OAuthErrors.RequestObjectDecryptionFailed().Description),
            "ciphertext altered" => (Altered(Jwes.Encrypt(signed, ec)), OAuthErrors.RequestObjectDecryptionFailed().Description),
            "epk off the curve" => (Jwes.Encrypt(signed, ec, ("epk", new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = ec["x"]!.DeepClone(), ["y"] = ec["x"]!.DeepClone() })),
                OAuthErrors.RequestObjectDecryptionFailed().Description),
            "claims in the clear" => (Jwes.Encrypt(Claims(server).ToJsonString(), rsa), OAuthErrors.RequestObjectEncryptedPayloadInvalid().Description),
            "inner iss is another client" => (await SignedThenEncryptedAsync(server, "ECDH-ES", ("iss", "other")), OAuthErrors.RequestObjectIssuerMismatch().Description),
            "inner client_id is another client" => (await SignedThenEncryptedAsync(server, "RSA-OAEP-256", ("client_id", "other")), OAuthErrors.RequestObjectClientIdMismatch().Description),
            "inner signature by another key" => (Jwes.Encrypt(Jwts.Sign(Claims(server), ClientKey.Rsa(Key.Kid)), rsa), OAuthErrors.RequestObjectSignatureInvalid().Description),
            "inner JWE" => (Jwes.Encrypt(Jwes.Encrypt(signed, rsa), ec), OAuthErrors.RequestObjectEncryptedPayloadInvalid().Description),
            _ => throw new ArgumentOutOfRangeException(nameof(because)),
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_encrypted_request_object_is_400_invalid_request_object_and_nothing_is_stored(string because)
    {
        await using var server = await ServerAsync();
        var (requestObject, description) = await RefusalAsync(server, because);

        using var response = await PushAsync(server, requestObject);

        await AssertRefusedAsync(server, response, description);
    }

    /// <summary>
    /// Each row: forceSignedRequestObject, fapiCompatibility, whether an encrypted but unsigned request object is accepted. The client
    /// authenticates with private_key_jwt, which FAPI 2.0 §5.3.2.1 admits, so the rows differ only by the switches.
    /// </summary>
    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    public async Task An_encrypted_unsigned_request_object_is_refused_when_signing_is_forced_or_in_fapi_mode(bool forceSigned, bool fapi, bool accepted)
    {
        await using var server = await ServerAsync("private_key_jwt");
        await server.PatchPropertiesAsync($$"""
            [{"op":"replace","path":"/forceSignedRequestObject","value":{{(forceSigned ? "true" : "false")}}},
             {"op":"replace","path":"/fapiCompatibility","value":{{(fapi ? "true" : "false")}}}]
            """);

        var requestObject = Jwes.Encrypt(Jwts.Unsecured(Claims(server)), await Jwes.ServerKeyAsync(server, "RSA-OAEP-256"));

        using var response = await server.PostParWithAssertionAsync(ClientId, Key, PushForm(requestObject));

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            await AssertRefusedAsync(server, response, OAuthErrors.RequestObjectEncryptedUnsigned().Description);
        }
    }

    [Fact]
    public async Task Jwks_publishes_one_encryption_key_per_algorithm_beside_the_signing_keys()
    {
        await using var server = await ServerAsync();
        using var http = server.CreateClient();

        var keys = (await http.GetFromJsonAsync<JsonObject>("/jwks"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();

        var enc = keys.Where(k => k["use"]!.GetValue<string>() == "enc").ToList();
        Assert.Equal(Supported, enc.Select(k => k["alg"]!.GetValue<string>()).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(["RSA", "EC"], enc.OrderByDescending(k => k["alg"]!.GetValue<string>(), StringComparer.Ordinal).Select(k => k["kty"]!.GetValue<string>()));
        Assert.All(keys.Where(k => !enc.Contains(k)), k => Assert.Equal("sig", k["use"]!.GetValue<string>()));
        Assert.All(keys, k => Assert.False(k.ContainsKey("d")));
        Assert.Equal(keys.Count, keys.Select(k => k["kid"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task Discovery_publishes_the_request_object_signing_and_encryption_algorithms()
    {
        await using var server = await ServerAsync();
        using var http = server.CreateClient();
        static List<string> Values(JsonObject doc, string name) => doc[name]!.AsArray().Select(v => v!.GetValue<string>()).ToList();

        var doc = (await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/forceSignedRequestObject","value":true}]""");
        var forced = (await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;
        await server.PatchPropertiesAsync("""
            [{"op":"replace","path":"/forceSignedRequestObject","value":false},
             {"op":"replace","path":"/fapiCompatibility","value":true}]
            """);
        var fapi = (await http.GetFromJsonAsync<JsonObject>("/.well-known/oauth-authorization-server"))!;

        // OIDC Discovery §3: "none" is listed while unsigned request objects are accepted, not when signing is forced or in FAPI mode.
        Assert.Equal(["RS256", "PS256", "ES256", "none"], Values(doc, "request_object_signing_alg_values_supported"));
        Assert.Equal(["RS256", "PS256", "ES256"], Values(forced, "request_object_signing_alg_values_supported"));
        Assert.Equal(["PS256", "ES256"], Values(fapi, "request_object_signing_alg_values_supported"));
        Assert.Equal(Supported, Values(doc, "request_object_encryption_alg_values_supported"));
        Assert.Equal(["A256GCM"], Values(doc, "request_object_encryption_enc_values_supported"));
    }

    /// <summary>Every node decrypts alike: a second node finds the stored keys instead of making its own.</summary>
    [Fact]
    public async Task Encryption_keys_are_made_once_and_shared_through_the_database()
    {
        await using var server = await ServerAsync();
        var otherNode = ActivatorUtilities.CreateInstance<Parapet.Hosting.EncryptionKeys>(server.Services);

        await otherNode.EnsureAsync(CancellationToken.None);

        var published = server.Services.GetRequiredService<Parapet.Protocol.Jose.IEncryptionKeys>().PublicJwks.Select(k => k.Kid);
        Assert.Equal(published, otherNode.PublicJwks.Select(k => k.Kid));
        await using var db = server.Services.GetRequiredService<IContextFactory>().Create();
        var rows = await db.SigningKeys.AsNoTracking().Where(k => k.Algorithm == "RSA-OAEP-256" || k.Algorithm == "ECDH-ES").ToListAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.DoesNotContain("\"d\"", r.ProtectedJwk, StringComparison.Ordinal));
    }

    private static JsonObject AnotherRsaKey(JsonObject serverKey)
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        var key = serverKey.DeepClone().AsObject();
        key["n"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Modulus!);
        key["e"] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(p.Exponent!);
        return key;
    }

    /// <summary>One bit of the ciphertext flipped: AES-GCM's tag no longer verifies (RFC 7516 §5.2 step 16).</summary>
    private static string Altered(string jwe)
    {
        var parts = jwe.Split('.');
        var ciphertext = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[3]);
        ciphertext[0] ^= 1;
        parts[3] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(ciphertext);
        return string.Join('.', parts);
    }
}
