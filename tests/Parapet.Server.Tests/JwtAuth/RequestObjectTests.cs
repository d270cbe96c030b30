using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>DESIGN §2.1 rule 5 and §2.5: request objects (JAR, RFC 9101) at /par.</summary>
public sealed class RequestObjectTests
{
    private const string ClientId = "jar";
    private const string ObjectState = "state-from-the-object";
    private static readonly ClientKey Key = ClientKey.Rsa("jar-1");

    /// <summary>A client_secret_basic client that also registered keys, so its request objects can be signed.</summary>
    private static async Task<ParapetTestServer> ServerAsync()
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync(ClientId, new JsonObject { ["jwks"] = ClientKey.Set(Key), ["trusted"] = true });
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    private static JsonObject Claims(ParapetTestServer server, params (string, JsonNode?)[] overrides)
    {
        var now = server.Time.GetUtcNow();
        var claims = new JsonObject
        {
            ["iss"] = ClientId,
            ["client_id"] = ClientId,
            ["aud"] = ParapetTestServer.Issuer,
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["response_type"] = "code",
            ["redirect_uri"] = ParapetTestServer.RedirectUri,
            ["scope"] = "openid",
            ["state"] = ObjectState,
            ["nonce"] = Steps.Nonce,
            ["code_challenge"] = Pkce.Challenge,
            ["code_challenge_method"] = "S256",
            ["max_age"] = 3600,
        };
        return Jwts.Apply(claims, overrides);
    }

    private static string Signed(ParapetTestServer server, params (string, JsonNode?)[] overrides) => Jwts.Sign(Claims(server, overrides), Key);

    /// <summary>POST /par with only client_id and the request object (plus <paramref name="form"/>), as client_secret_basic.</summary>
    private static Task<HttpResponseMessage> PushAsync(ParapetTestServer server, string requestObject, params (string Name, string? Value)[] form)
    {
        var body = new Dictionary<string, string> { ["client_id"] = ClientId, ["request"] = requestObject };
        foreach (var (name, value) in form)
        {
            body[name] = value!;
        }
        return server.PostParAsync(body, ParapetTestServer.Basic(ClientId, ParapetTestServer.ClientSecret));
    }

    private static async Task<string> RequestUriAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Steps.JsonAsync(response))["request_uri"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_signed_request_object_goes_through_authorize_and_token()
    {
        await using var server = await ServerAsync();
        using var pushed = await PushAsync(server, Signed(server));
        var requestUri = await RequestUriAsync(pushed);

        using var browser = server.CreateBrowser();
        var query = await browser.AuthorizeToRedirectAsync(ClientId, requestUri);
        using var tokens = await server.RedeemAsync(ClientId, query["code"].ToString());

        Assert.Equal(ObjectState, query["state"].ToString());
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        Assert.NotNull((await Steps.JsonAsync(tokens))["id_token"]);
    }

    /// <summary>RFC 9126 §3 / RFC 9101 §5: the request object's parameters are the request; form parameters beside it are ignored.</summary>
    [Fact]
    public async Task The_request_objects_claims_replace_the_form_parameters()
    {
        await using var server = await ServerAsync();
        // Form values that would fail validation on their own, and a state that must not win.
        using var pushed = await PushAsync(server, Signed(server),
            ("state", "state-from-the-form"), ("code_challenge_method", "plain"), ("redirect_uri", "https://evil.example/cb"), ("scope", "parapet.admin"));
        var requestUri = await RequestUriAsync(pushed);

        using var browser = server.CreateBrowser();
        var query = await browser.AuthorizeToRedirectAsync(ClientId, requestUri);

        Assert.Equal(ObjectState, query["state"].ToString());
        using var tokens = await server.RedeemAsync(ClientId, query["code"].ToString());
        Assert.Equal("openid", (await Steps.JsonAsync(tokens))["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_request_objects_parameters_go_through_the_same_validator()
    {
        await using var server = await ServerAsync();

        using var response = await PushAsync(server, Signed(server, ("redirect_uri", "https://evil.example/cb")));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, OAuthErrors.InvalidRequest, OAuthErrors.RedirectUriNotRegistered().Description);
    }

    public static TheoryData<string, string> BadRequestObjects() => new()
    {
        { "iss is another client", OAuthErrors.RequestObjectIssuerMismatch().Description },
        { "client_id is another client", OAuthErrors.RequestObjectClientIdMismatch().Description },
        { "no client_id", OAuthErrors.RequestObjectClientIdMismatch().Description },
        { "aud is elsewhere", OAuthErrors.RequestObjectAudienceInvalid(ParapetTestServer.Issuer).Description },
        { "expired", OAuthErrors.RequestObjectExpired().Description },
        { "no exp", OAuthErrors.RequestObjectExpMissing().Description },
        { "nbf in the future", OAuthErrors.RequestObjectNotYetValid().Description },
        { "request_uri inside", OAuthErrors.RequestObjectContainsRequestUri().Description },
        { "bad signature", OAuthErrors.RequestObjectSignatureInvalid().Description },
        { "alg RS384", OAuthErrors.RequestObjectAlgorithm("RS384", ["RS256", "PS256", "ES256"]).Description },
        { "encrypted with an unsupported alg", OAuthErrors.RequestObjectEncryptionAlgorithm("RSA1_5", ["RSA-OAEP-256", "ECDH-ES"]).Description },
        { "not a JWT", OAuthErrors.RequestObjectMalformed().Description },
    };

    private static string BadRequestObject(ParapetTestServer server, string because)
    {
        var now = server.Time.GetUtcNow();
        return because switch
        {
            "iss is another client" => Signed(server, ("iss", "other")),
            "client_id is another client" => Signed(server, ("client_id", "other")),
            "no client_id" => Signed(server, ("client_id", null)),
            "aud is elsewhere" => Signed(server, ("aud", "https://elsewhere.example")),
            "expired" => Signed(server, ("exp", now.AddSeconds(-1).ToUnixTimeSeconds())),
            "no exp" => Signed(server, ("exp", null)),
            "nbf in the future" => Signed(server, ("nbf", now.AddMinutes(5).ToUnixTimeSeconds())),
            "request_uri inside" => Signed(server, ("request_uri", "urn:ietf:params:oauth:request_uri:abc")),
            "bad signature" => Jwts.Sign(Claims(server), ClientKey.Rsa("jar-1")),
            "alg RS384" => Jwts.Sign(Claims(server), Key.As("RS384")),
            "encrypted with an unsupported alg" => Base64UrlEncoder.Encode("""{"alg":"RSA1_5","enc":"A256GCM"}""") + ".AAAA.AAAA.AAAA.AAAA",
            "not a JWT" => "definitely-not-a-jwt",
            _ => throw new ArgumentOutOfRangeException(nameof(because)),
        };
    }

    [Theory]
    [MemberData(nameof(BadRequestObjects))]
    public async Task A_bad_request_object_is_400_invalid_request_object(string because, string description)
    {
        await using var server = await ServerAsync();

        using var response = await PushAsync(server, BadRequestObject(server, because));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, OAuthErrors.InvalidRequestObject, description);
    }

    /// <summary>
    /// Each row: forceSignedRequestObject, whether an alg-none request object is accepted. In FAPI mode they are refused too,
    /// for a private_key_jwt client (this one's client_secret_basic is refused there first): see Fapi/FapiClientTests.
    /// </summary>
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task An_unsigned_request_object_is_refused_when_signing_is_forced(bool forceSigned, bool accepted)
    {
        await using var server = await ServerAsync();
        await server.PatchPropertiesAsync($$"""
            [{"op":"replace","path":"/forceSignedRequestObject","value":{{(forceSigned ? "true" : "false")}}}]
            """);

        using var response = await PushAsync(server, Jwts.Unsecured(Claims(server)));

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, OAuthErrors.InvalidRequestObject, OAuthErrors.RequestObjectUnsigned().Description);
        }
    }

    /// <summary>DESIGN §2.1 rule 7: a request object's exp may shorten the request URI's lifetime, never lengthen it.</summary>
    [Theory]
    [InlineData(100, 100)]
    [InlineData(599, 599)]
    [InlineData(5000, 600)]
    public async Task The_request_objects_exp_shortens_expires_in_but_never_lengthens_it(int expInSeconds, int expiresIn)
    {
        await using var server = await ServerAsync();
        // exp is in whole seconds; on a whole second the remaining time is exact.
        server.Time.SetUtcNow(DateTimeOffset.FromUnixTimeSeconds(server.Time.GetUtcNow().ToUnixTimeSeconds() + 1));

        using var response = await PushAsync(server, Signed(server, ("exp", server.Time.GetUtcNow().AddSeconds(expInSeconds).ToUnixTimeSeconds())));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(expiresIn, (await Steps.JsonAsync(response))["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_objects_are_refused_and_not_advertised_when_request_parameter_supported_is_false()
    {
        await using var server = await ServerAsync();
        using var http = server.CreateClient();
        var before = await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration");

        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/requestParameterSupported","value":false}]""");
        using var response = await PushAsync(server, Signed(server));
        var after = await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration");

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, OAuthErrors.RequestNotSupported, OAuthErrors.RequestObjectNotSupported().Description);
        Assert.True(before!["request_parameter_supported"]!.GetValue<bool>());
        Assert.False(after!["request_parameter_supported"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Discovery_lists_the_jwt_client_authentication_methods_and_their_algorithms()
    {
        await using var server = await ServerAsync();
        using var http = server.CreateClient();

        var doc = (await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;

        var methods = doc["token_endpoint_auth_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        var algs = doc["token_endpoint_auth_signing_alg_values_supported"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("private_key_jwt", methods);
        Assert.Contains("client_secret_jwt", methods);
        Assert.Equal(["RS256", "PS256", "ES256", "HS256"], algs);
    }
}
