using System.Net;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>DESIGN §2.4: private_key_jwt (RFC 7523, OIDC Core §9) at /par and /token, through the one ClientAuthentication.</summary>
public sealed class PrivateKeyJwtTests
{
    private const string ClientId = "signer";
    private static readonly ClientKey Ps = ClientKey.Rsa("rsa-1");
    private static readonly ClientKey Es = ClientKey.Ec("ec-1");
    private static readonly ClientKey Stranger = ClientKey.Rsa("rsa-1"); // same kid, other key

    private static async Task<ParapetTestServer> ServerAsync(JwksEndpoint? jwksUri = null)
    {
        var server = await ParapetTestServer.StartAsync(jwksUri is null ? null : jwksUri.Install);
        var keys = jwksUri is null
            ? new JsonObject { ["jwks"] = ClientKey.Set(Ps, Es) }
            : new JsonObject { ["jwks_uri"] = JwksEndpoint.Uri };
        keys["token_endpoint_auth_method"] = "private_key_jwt";
        keys["grant_types"] = new JsonArray("authorization_code", "client_credentials");
        keys.Remove("client_secret");
        await server.CreateClientAsync(ClientId, keys);
        return server;
    }

    /// <param name="clientId">Sent in the form too when given; without it the server finds the client by the assertion's sub.</param>
    private static Task<HttpResponseMessage> PushAsync(ParapetTestServer server, string assertion, string? clientId = null) =>
        server.PostParAsync(Steps.PushParameters([.. Jwts.AssertionForm(assertion), ("client_id", clientId)]), null);

    private static async Task<HttpResponseMessage> ClientCredentialsAsync(ParapetTestServer server, string assertion, string? clientId = null)
    {
        using var http = server.CreateClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "profile" };
        if (clientId is not null)
        {
            form["client_id"] = clientId;
        }
        foreach (var (name, value) in Jwts.AssertionForm(assertion))
        {
            form[name] = value!;
        }
        return await http.PostAsync("/token", new FormUrlEncodedContent(form));
    }

    private static string Assertion(ParapetTestServer server, ClientKey key, params (string, JsonNode?)[] overrides) =>
        Jwts.Sign(Jwts.AssertionClaims(ClientId, server.Time.GetUtcNow(), overrides), key);

    private static async Task AssertAuthenticationFailedAsync(ParapetTestServer server, HttpResponseMessage response, string logDetail)
    {
        var expected = OAuthErrors.ClientAuthenticationFailed(basicTried: false);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        Assert.Contains(server.Logs.GetSnapshot(), r => r.Message.Contains(logDetail, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> Audiences() => new()
    {
        // alg, aud (JSON)
        { "PS256", "\"http://localhost\"" },
        { "RS256", "\"http://localhost/token\"" },
        { "ES256", "\"http://localhost/par\"" },
        { "PS256", "[\"https://elsewhere.example\",\"http://localhost/par\"]" },
    };

    [Theory]
    [MemberData(nameof(Audiences))]
    public async Task Push_with_a_valid_private_key_jwt_is_201(string alg, string aud)
    {
        await using var server = await ServerAsync();
        var key = alg == "ES256" ? Es : Ps.As(alg);

        using var response = await PushAsync(server, Assertion(server, key, ("aud", JsonNode.Parse(aud))));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Token_request_with_a_valid_private_key_jwt_issues_tokens()
    {
        await using var server = await ServerAsync();

        using var response = await ClientCredentialsAsync(server, Assertion(server, Es, ("aud", "http://localhost/token")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await Steps.JsonAsync(response))["access_token"]);
    }

    /// <summary>Each row: what is wrong with the assertion and the log detail that names it (the client hears only "failed").</summary>
    public static TheoryData<string, string> BadAssertions() => new()
    {
        { "bad signature", "bad signature" },
        { "wrong aud", "aud names neither" },
        { "no aud", "aud missing" },
        { "expired", "expired" },
        { "exp too far ahead", "exp more than 5 minutes ahead" },
        { "no exp", "exp missing" },
        { "iat in the future", "iat in the future" },
        { "nbf in the future", "nbf in the future" },
        { "no jti", "jti missing" },
        { "iss is another client", "iss is not the client_id" },
        { "sub is another client", "sub is not the client_id" },
        { "alg RS384", "alg RS384 not accepted" },
        { "unknown kid", "no key with kid 'rsa-9'" },
        { "HMAC for a key client", "registered for private_key_jwt, presented client_secret_jwt" },
    };

    private static string BadAssertion(ParapetTestServer server, string because)
    {
        var now = server.Time.GetUtcNow();
        return because switch
        {
            "bad signature" => Assertion(server, Stranger),
            "wrong aud" => Assertion(server, Ps, ("aud", "https://elsewhere.example")),
            "no aud" => Assertion(server, Ps, ("aud", null)),
            "expired" => Assertion(server, Ps, ("exp", now.AddSeconds(-1).ToUnixTimeSeconds())),
            "exp too far ahead" => Assertion(server, Ps, ("exp", now.AddMinutes(10).ToUnixTimeSeconds())),
            "no exp" => Assertion(server, Ps, ("exp", null)),
            "iat in the future" => Assertion(server, Ps, ("iat", now.AddSeconds(90).ToUnixTimeSeconds())),
            "nbf in the future" => Assertion(server, Ps, ("nbf", now.AddSeconds(90).ToUnixTimeSeconds())),
            "no jti" => Assertion(server, Ps, ("jti", null)),
            "iss is another client" => Assertion(server, Ps, ("iss", "other")),
            "sub is another client" => Assertion(server, Ps, ("sub", "other")),
            "alg RS384" => Assertion(server, Ps.As("RS384")),
            "unknown kid" => Assertion(server, ClientKey.Rsa("rsa-9")),
            "HMAC for a key client" => Jwts.SignWithSecret(Jwts.AssertionClaims(ClientId, now), ParapetTestServer.ClientSecret),
            _ => throw new ArgumentOutOfRangeException(nameof(because)),
        };
    }

    [Theory]
    [MemberData(nameof(BadAssertions))]
    public async Task Push_with_a_bad_private_key_jwt_is_401_invalid_client(string because, string logDetail)
    {
        await using var server = await ServerAsync();

        using var response = await PushAsync(server, BadAssertion(server, because), ClientId);

        await AssertAuthenticationFailedAsync(server, response, logDetail);
    }

    [Theory]
    [MemberData(nameof(BadAssertions))]
    public async Task Token_request_with_a_bad_private_key_jwt_is_401_invalid_client(string because, string logDetail)
    {
        await using var server = await ServerAsync();

        using var response = await ClientCredentialsAsync(server, BadAssertion(server, because), ClientId);

        await AssertAuthenticationFailedAsync(server, response, logDetail);
    }

    [Fact]
    public async Task A_replayed_assertion_is_refused_at_par_and_at_token()
    {
        await using var server = await ServerAsync();
        var assertion = Assertion(server, Ps);

        using var first = await PushAsync(server, assertion);
        using var again = await PushAsync(server, assertion);
        using var atToken = await ClientCredentialsAsync(server, assertion);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertAuthenticationFailedAsync(server, again, "jti already used");
        await AssertAuthenticationFailedAsync(server, atToken, "jti already used");
    }

    [Fact]
    public async Task A_jti_is_per_client_and_a_new_jti_is_accepted()
    {
        await using var server = await ServerAsync();

        using var first = await PushAsync(server, Assertion(server, Ps, ("jti", "one")));
        using var second = await PushAsync(server, Assertion(server, Ps, ("jti", "two")));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task A_malformed_assertion_or_assertion_type_is_401_invalid_client()
    {
        await using var server = await ServerAsync();
        var wrongType = Steps.PushParameters(("client_assertion_type", "urn:example:other"), ("client_assertion", Assertion(server, Ps)));

        using var garbage = await PushAsync(server, "not-a-jwt");
        using var typed = await server.PostParAsync(wrongType, null);

        await AssertAuthenticationFailedAsync(server, garbage, "client_assertion missing, not a signed JWT");
        await AssertAuthenticationFailedAsync(server, typed, "client_assertion missing, not a signed JWT");
    }

    [Fact]
    public async Task Keys_are_fetched_from_jwks_uri_and_cached()
    {
        var jwks = new JwksEndpoint { Document = ClientKey.Set(Ps).ToJsonString() };
        await using var server = await ServerAsync(jwks);

        using var first = await PushAsync(server, Assertion(server, Ps));
        using var second = await PushAsync(server, Assertion(server, Ps));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(1, jwks.Fetches);
    }

    [Fact]
    public async Task A_new_kid_at_jwks_uri_is_picked_up_by_one_refetch()
    {
        var jwks = new JwksEndpoint { Document = ClientKey.Set(Ps).ToJsonString() };
        await using var server = await ServerAsync(jwks);
        using var warm = await PushAsync(server, Assertion(server, Ps));

        jwks.Document = ClientKey.Set(Ps, Es).ToJsonString();
        server.Time.Advance(TimeSpan.FromSeconds(11));
        using var rotated = await PushAsync(server, Assertion(server, Es));

        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        Assert.Equal(2, jwks.Fetches);
    }

    [Fact]
    public async Task An_unknown_kid_refetches_at_most_once_in_a_short_while()
    {
        var jwks = new JwksEndpoint { Document = ClientKey.Set(Ps).ToJsonString() };
        await using var server = await ServerAsync(jwks);

        using var first = await PushAsync(server, Assertion(server, ClientKey.Ec("made-up-1")));
        using var second = await PushAsync(server, Assertion(server, ClientKey.Ec("made-up-2")));

        await AssertAuthenticationFailedAsync(server, second, "no key with kid 'made-up-2'");
        Assert.Equal(1, jwks.Fetches);
    }

    [Fact]
    public async Task An_unreachable_jwks_uri_is_401_invalid_client()
    {
        var jwks = new JwksEndpoint { Document = "this is not a JWK Set" };
        await using var server = await ServerAsync(jwks);

        using var response = await PushAsync(server, Assertion(server, Ps));

        await AssertAuthenticationFailedAsync(server, response, "jwks_uri could not be fetched or is not a JWK Set");
    }

    [Fact]
    public async Task A_jwks_uri_answer_over_64_KiB_is_not_used()
    {
        var padded = ClientKey.Set(Ps);
        padded["padding"] = new string('x', 65 * 1024);
        var jwks = new JwksEndpoint { Document = padded.ToJsonString() };
        await using var server = await ServerAsync(jwks);

        using var response = await PushAsync(server, Assertion(server, Ps));

        await AssertAuthenticationFailedAsync(server, response, "jwks_uri could not be fetched or is not a JWK Set");
    }

    /// <summary>Each row: FAPI mode on or off, aud (JSON), alg, accepted.</summary>
    public static TheoryData<bool, string, string, bool> FapiAudiences() => new()
    {
        { false, "\"http://localhost\"", "PS256", true },
        { false, "[\"http://localhost\"]", "PS256", true },
        { false, "\"http://localhost/token\"", "PS256", true },
        { false, "\"http://localhost\"", "RS256", true },
        { true, "\"http://localhost\"", "PS256", true },
        { true, "\"http://localhost\"", "ES256", true },
        { true, "[\"http://localhost\"]", "PS256", false },
        { true, "\"http://localhost/token\"", "PS256", false },
        { true, "\"http://localhost/par\"", "PS256", false },
        { true, "\"http://localhost\"", "RS256", false },
    };

    /// <summary>
    /// FAPI 2.0 §5.3.2.1: only the issuer as a single string, and only PS256/ES256; otherwise RFC 7523/9126's wider rule. At
    /// /par, since in FAPI mode /token also wants a sender-constrained request (tested in Fapi/).
    /// </summary>
    [Theory]
    [MemberData(nameof(FapiAudiences))]
    public async Task Fapi_mode_narrows_aud_to_the_issuer_string_and_the_algorithms_to_ps256_and_es256(bool fapi, string aud, string alg, bool accepted)
    {
        await using var server = await ServerAsync();
        if (fapi)
        {
            await server.PatchPropertiesAsync("""[{"op":"replace","path":"/fapiCompatibility","value":true}]""");
        }
        var key = alg == "ES256" ? Es : Ps.As(alg);

        using var response = await PushAsync(server, Assertion(server, key, ("aud", JsonNode.Parse(aud))));

        Assert.Equal(accepted ? HttpStatusCode.Created : HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
