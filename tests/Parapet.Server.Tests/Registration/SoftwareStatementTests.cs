using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Registration;

/// <summary>RFC 7591 §2.3 software statements: refused by default; with <c>verify</c>, checked against the trusted JWKS and laid over the JSON.</summary>
public sealed class SoftwareStatementTests : IDisposable
{
    private readonly ECDsa _trusted = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _untrusted = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _trusted.Dispose();
        _untrusted.Dispose();
    }

    /// <summary>The trusted issuer's public key as a JWKS.</summary>
    private string TrustedJwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(_trusted.ExportParameters(false))) { KeyId = "issuer-1" });
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject { ["kty"] = jwk.Kty, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y, ["kid"] = jwk.Kid }),
        }.ToJsonString();
    }

    private async Task<ParapetTestServer> VerifyingServerAsync(string? jwks = null)
    {
        var server = await ParapetTestServer.StartAsync();
        var value = JsonValue.Create(jwks ?? TrustedJwks()).ToJsonString();
        await server.EnableAsync($$"""{"op":"replace","path":"registrationSoftwareStatementPolicy","value":"verify"},{"op":"replace","path":"registrationSoftwareStatementJwks","value":{{value}}}""");
        return server;
    }

    private string Statement(Dictionary<string, object> claims, ECDsa? key = null, string? issuer = "https://software.example", DateTime? expires = null, DateTimeOffset? now = null)
    {
        var at = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Claims = claims,
            IssuedAt = at,
            NotBefore = at,
            Expires = expires ?? at.AddHours(1),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key ?? _trusted) { KeyId = "issuer-1" }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static string Body(string statement, string members = """ "redirect_uris":["https://rp.example/cb"],"client_name":"From JSON" """) =>
        $$"""{{{members}},"software_statement":{{JsonValue.Create(statement).ToJsonString()}}}""";

    [Fact]
    public async Task By_default_a_software_statement_is_refused_as_not_accepted()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync();

        using var response = await server.RegisterAsync(Body(Statement(new() { ["client_name"] = "x" })));

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_software_statement");
        Assert.Equal("Software statements are not accepted by this server.", body.Text("error_description"));
    }

    [Fact]
    public async Task A_verified_statements_claims_override_the_json_metadata()
    {
        await using var server = await VerifyingServerAsync();
        var statement = Statement(new()
        {
            ["client_name"] = "From statement",
            ["redirect_uris"] = new List<string> { "https://software.example/cb" },
            ["software_id"] = "4NRB1-0XZABZI9E6-5SM3R",
        }, now: server.Time.GetUtcNow());

        var registered = await server.RegisteredAsync(Body(statement));

        Assert.Equal("From statement", registered.Text("client_name"));
        Assert.Equal(["https://software.example/cb"], registered["redirect_uris"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.False(registered.ContainsKey("software_statement"));
    }

    [Fact]
    public async Task A_statement_without_exp_is_accepted()
    {
        await using var server = await VerifyingServerAsync();
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var statement = handler.CreateToken(
            """{"iss":"https://software.example","client_name":"No expiry"}""",
            new SigningCredentials(new ECDsaSecurityKey(_trusted), SecurityAlgorithms.EcdsaSha256));

        var registered = await server.RegisteredAsync(Body(statement));

        Assert.Equal("No expiry", registered.Text("client_name"));
    }

    [Fact]
    public async Task Metadata_from_a_statement_is_validated_like_any_other()
    {
        await using var server = await VerifyingServerAsync();
        var statement = Statement(new() { ["redirect_uris"] = new List<string> { "http://software.example/cb" } }, now: server.Time.GetUtcNow());

        using var response = await server.RegisterAsync(Body(statement));

        await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_redirect_uri");
    }

    public static TheoryData<string> Untrusted => new() { "other-key", "expired", "no-iss", "unsigned", "tampered" };

    [Theory]
    [MemberData(nameof(Untrusted))]
    public async Task An_unverifiable_statement_is_invalid_software_statement_and_registers_nothing(string kind)
    {
        await using var server = await VerifyingServerAsync();
        var now = server.Time.GetUtcNow();
        var claims = new Dictionary<string, object> { ["client_name"] = "x" };
        var statement = kind switch
        {
            "other-key" => Statement(claims, _untrusted, now: now),
            "expired" => Statement(claims, now: now.AddHours(-3), expires: now.AddHours(-2).UtcDateTime),
            "no-iss" => Statement(claims, issuer: null, now: now),
            "unsigned" => new JsonWebTokenHandler().CreateToken("""{"iss":"https://software.example","client_name":"x"}"""),
            _ => Tamper(Statement(claims, now: now)),
        };

        using var response = await server.RegisterAsync(Body(statement));

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_software_statement");
        Assert.Equal("The software_statement is not signed by a trusted issuer, lacks 'iss', or is expired.", body.Text("error_description"));
        using var admin = await server.CreateAdminClientAsync();
        Assert.Single(await (await admin.GetAsync("/admin/v1/clients")).JsonArrayAsync());
    }

    [Theory]
    [InlineData("\"not a jwt\"")]
    [InlineData("42")]
    [InlineData("{\"iss\":\"x\"}")]
    public async Task A_statement_that_is_not_a_jwt_string_is_invalid_software_statement(string value)
    {
        await using var server = await VerifyingServerAsync();

        using var response = await server.RegisterAsync($$"""{"redirect_uris":["https://rp.example/cb"],"software_statement":{{value}}}""");

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_software_statement");
        Assert.Equal("The software_statement must be a signed JWT (RFC 7591 §2.3).", body.Text("error_description"));
    }

    [Fact]
    public async Task With_verify_but_no_trusted_keys_every_statement_is_refused()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync("""{"op":"replace","path":"registrationSoftwareStatementPolicy","value":"verify"}""");

        using var response = await server.RegisterAsync(Body(Statement(new() { ["client_name"] = "x" }, now: server.Time.GetUtcNow())));

        await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_software_statement");
    }

    [Fact]
    public async Task A_jwks_that_is_not_a_public_key_set_is_refused_as_a_property()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"registrationSoftwareStatementJwks","value":"{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}"}]""");

        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("registrationSoftwareStatementJwks", body.ToJsonString(), StringComparison.Ordinal);
    }

    private static string Tamper(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["client_name"] = "tampered";
        parts[1] = Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload));
        return string.Join('.', parts);
    }
}
