using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Dpop;

/// <summary>RFC 9449 §4.3: every way a proof can be wrong, each a 400 invalid_dpop_proof that says what was wrong.</summary>
public sealed class DpopProofRefusalTests
{
    public static TheoryData<string, string> Refusals => new()
    {
        { "typ", "The DPoP proof's header must have typ 'dpop+jwt' (RFC 9449 §4.2)." },
        { "alg-none", "The DPoP proof's alg 'none' is not accepted; use one of: RS256, PS256, ES256." },
        { "alg-hs256", "The DPoP proof's alg 'HS256' is not accepted; use one of: RS256, PS256, ES256." },
        { "private-jwk", "The DPoP proof's 'jwk' must not contain private key members (RFC 9449 §4.3)." },
        { "no-jwk", "The DPoP proof's header must carry the public key as 'jwk' (RFC 9449 §4.2)." },
        { "symmetric-jwk", "The DPoP proof's 'jwk' must not contain private key members (RFC 9449 §4.3)." },
        { "signature", "The DPoP proof's signature does not verify with the key in its 'jwk' header." },
        { "htm", "The DPoP proof's 'htm' must be the request method 'POST'." },
        { "htu", "The DPoP proof's 'htu' must be 'http://localhost/token' (without query or fragment)." },
        { "iat-old", "The DPoP proof's 'iat' is more than 60 seconds in the past (dpopTimeframe)." },
        { "iat-ahead", "The DPoP proof's 'iat' is more than 60 seconds in the future (dpopTimeframe)." },
        { "no-jti", "The DPoP proof must contain the claim 'jti' (RFC 9449 §4.2)." },
        { "no-iat", "The DPoP proof must contain the claim 'iat' (RFC 9449 §4.2)." },
        { "not-a-jwt", "The DPoP header must be one JWT in compact serialization (RFC 9449 §4.2)." },
        { "header-not-json", "The DPoP header must be one JWT in compact serialization (RFC 9449 §4.2)." },
        { "jwk-off-curve", "The DPoP proof's signature does not verify with the key in its 'jwk' header." },
        { "jwk-incomplete", "The DPoP proof's 'jwk' must be an RSA or EC public key." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_proof_at_the_token_endpoint_is_invalid_dpop_proof(string flaw, string description)
    {
        await using var server = await DpopSteps.ServerAsync();
        var proof = Flawed(flaw, DpopKey.Ec(), server.Time.GetUtcNow());

        using var response = await server.ClientCredentialsAsync(proof);

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof", description);
    }

    [Fact]
    public async Task Same_proof_twice_is_a_replay()
    {
        await using var server = await DpopSteps.ServerAsync();
        var proof = DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow());
        using var first = await server.ClientCredentialsAsync(proof);

        using var second = await server.ClientCredentialsAsync(proof);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Steps.AssertErrorAsync(second, HttpStatusCode.BadRequest, "invalid_dpop_proof",
            "The DPoP proof's 'jti' was already used; make a new proof for every request (RFC 9449 §11.1).");
    }

    [Fact]
    public async Task Two_dpop_headers_are_refused()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Ec();
        var now = server.Time.GetUtcNow();

        using var response = await server.ClientCredentialsAsync(key.Proof("POST", DpopSteps.TokenUrl, now), key.Proof("POST", DpopSteps.TokenUrl, now));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof", "Send exactly one DPoP header (RFC 9449 §4.3).");
    }

    [Fact]
    public async Task Proof_for_the_token_endpoint_is_refused_at_par()
    {
        await using var server = await DpopSteps.ServerAsync();

        using var response = await server.PostAsync("/par", Steps.PushParameters(), "app", DpopKey.Ec().Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow()));

        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof",
            "The DPoP proof's 'htu' must be 'http://localhost/par' (without query or fragment).");
    }

    [Fact]
    public async Task Htu_may_be_the_published_mtls_alias_and_carry_a_query()
    {
        await using var server = await DpopSteps.ServerAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/mtlsTokenEndpoint","value":"https://mtls.localhost/token"}]""");
        var key = DpopKey.Ec();
        var now = server.Time.GetUtcNow();

        using var alias = await server.ClientCredentialsAsync(key.Proof("POST", "https://mtls.localhost/token", now));
        using var query = await server.ClientCredentialsAsync(key.Proof("POST", "HTTP://LOCALHOST:80/token?x=1#f", now));

        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
    }

    [Fact]
    public async Task Proof_within_the_timeframe_is_accepted_and_binds_client_credentials_tokens()
    {
        await using var server = await DpopSteps.ServerAsync();
        var key = DpopKey.Rsa();
        var proof = key.Proof("POST", DpopSteps.TokenUrl, server.Time.GetUtcNow().AddSeconds(-59));

        using var response = await server.ClientCredentialsAsync(proof);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Steps.JsonAsync(response);
        Assert.Equal("DPoP", body["token_type"]!.GetValue<string>());
        Assert.Equal(key.Jkt, DpopFlowTests.ConfirmationOf(body["access_token"]!.GetValue<string>())["jkt"]!.GetValue<string>());
    }

    private static string Flawed(string flaw, DpopKey key, DateTimeOffset now)
    {
        var header = key.Header();
        var claims = DpopKey.Claims("POST", DpopSteps.TokenUrl, now);
        switch (flaw)
        {
            case "typ":
                header["typ"] = "JWT";
                break;
            case "alg-none":
                header["alg"] = "none";
                return DpopKey.Unsecured(header, claims);
            case "alg-hs256":
                header["alg"] = "HS256";
                return DpopKey.SignWithSecret(header, claims);
            case "private-jwk":
                header["jwk"] = key.PrivateJwk();
                break;
            case "no-jwk":
                header.Remove("jwk");
                break;
            case "symmetric-jwk":
                header["jwk"] = new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0" };
                break;
            case "signature":
                return key.Sign(header, claims, signer: DpopKey.Ec());
            case "htm":
                claims["htm"] = "GET";
                break;
            case "htu":
                claims["htu"] = DpopSteps.ParUrl;
                break;
            case "iat-old":
                claims["iat"] = now.AddSeconds(-61).ToUnixTimeSeconds();
                break;
            case "iat-ahead":
                claims["iat"] = now.AddSeconds(61).ToUnixTimeSeconds();
                break;
            case "no-jti":
                claims.Remove("jti");
                break;
            case "no-iat":
                claims.Remove("iat");
                break;
            case "not-a-jwt":
                return "this-is-not-a-jwt";
            case "header-not-json":
                return "bm90IGpzb24.bm90IGpzb24.c2ln";
            case "jwk-off-curve":
                header["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = "AAAA", ["y"] = "AAAA" };
                break;
            case "jwk-incomplete":
                header["jwk"] = new JsonObject { ["kty"] = "RSA", ["e"] = "AQAB" };
                break;
        }
        return key.Sign(header, claims);
    }
}
