using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Fapi;

/// <summary>Discovery (DESIGN §2.7) publishes what the server's FAPI 2.0 switch enforces; a client's own flag changes nothing there.</summary>
public sealed class FapiDiscoveryTests
{
    private static List<string> Strings(JsonObject doc, string name) => doc[name]!.AsArray().Select(v => v!.GetValue<string>()).ToList();

    [Theory]
    [InlineData(FapiMode.Off)]
    [InlineData(FapiMode.Server)]
    [InlineData(FapiMode.Client)]
    public async Task Discovery_publishes_the_fapi_rules_under_the_server_switch(FapiMode mode)
    {
        await using var server = await FapiServer.StartAsync(mode);
        using var http = server.CreateClient();

        var doc = (await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;

        var fapi = mode == FapiMode.Server;
        Assert.Equal(fapi, doc["require_pushed_authorization_requests"]!.GetValue<bool>());
        // Under the switch only private_key_jwt and the mutual-TLS methods (those this build implements); otherwise all of them.
        var methods = Strings(doc, "token_endpoint_auth_methods_supported");
        Assert.Contains("private_key_jwt", methods);
        Assert.Equal(fapi, methods.All(m => m is "private_key_jwt" or "tls_client_auth" or "self_signed_tls_client_auth"));
        Assert.Equal(methods.Where(m => m != "none"), Strings(doc, "introspection_endpoint_auth_methods_supported"));
        Assert.Equal(methods, Strings(doc, "revocation_endpoint_auth_methods_supported"));
        Assert.Equal(fapi ? ["PS256", "ES256"] : ["RS256", "PS256", "ES256", "HS256"], Strings(doc, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.Equal(fapi ? ["PS256", "ES256"] : ["RS256", "PS256", "ES256", "none"], Strings(doc, "request_object_signing_alg_values_supported"));
        Assert.Equal(fapi ? ["PS256"] : ["RS256", "PS256"], Strings(doc, "id_token_signing_alg_values_supported"));
        Assert.Equal(fapi ? ["PS256", "ES256"] : ["RS256", "PS256", "ES256"], Strings(doc, "dpop_signing_alg_values_supported"));
        Assert.Equal(["S256"], Strings(doc, "code_challenge_methods_supported"));
        Assert.Equal(["code"], Strings(doc, "response_types_supported"));
        Assert.True(doc["authorization_response_iss_parameter_supported"]!.GetValue<bool>());
        var oauth = (await http.GetFromJsonAsync<JsonObject>("/.well-known/oauth-authorization-server"))!;
        Assert.Equal(doc.ToJsonString(), oauth.ToJsonString());
    }

    /// <summary>
    /// The RSA signing key signs RS256 and (for FAPI clients) PS256: it is published without alg, so strict verifiers accept it for
    /// both (RFC 7517 §4.4). The EC signing key and the two encryption keys each do one thing and keep their alg.
    /// </summary>
    [Fact]
    public async Task The_rsa_signing_keys_are_published_without_alg_and_the_encryption_keys_with_theirs()
    {
        await using var server = await FapiServer.StartAsync(FapiMode.Off);
        using var http = server.CreateClient();

        var keys = (await http.GetFromJsonAsync<JsonObject>("/jwks"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        bool Is(JsonObject k, string kty, string use) => k["kty"]!.GetValue<string>() == kty && k["use"]!.GetValue<string>() == use;

        Assert.Contains(keys, k => Is(k, "RSA", "sig"));
        Assert.All(keys.Where(k => Is(k, "RSA", "sig")), k => Assert.False(k.ContainsKey("alg")));
        Assert.All(keys.Where(k => Is(k, "EC", "sig")), k => Assert.Equal("ES256", k["alg"]!.GetValue<string>()));
        // A client picks the JWE alg from the key (RFC 7517 §4.4), so each encryption key stays pinned to its one algorithm.
        Assert.Equal(["RSA-OAEP-256"], keys.Where(k => Is(k, "RSA", "enc")).Select(k => k["alg"]!.GetValue<string>()));
        Assert.Equal(["ECDH-ES"], keys.Where(k => Is(k, "EC", "enc")).Select(k => k["alg"]!.GetValue<string>()));
    }
}
