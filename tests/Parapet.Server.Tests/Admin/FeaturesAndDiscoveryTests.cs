using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

public sealed class FeaturesAndDiscoveryTests
{
    private static readonly string[] DiscoveryPaths = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"];

    [Fact]
    public async Task Turning_par_off_closes_par_and_drops_it_from_discovery_and_turning_it_on_restores_both()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var admin = await server.CreateAdminClientAsync();

        using var off = await admin.DeleteAsync("/admin/v1/config/features/par");

        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False((await off.JsonAsync())["enabled"]!.GetValue<bool>());
        using (var refused = await server.PushAsync("app"))
        {
            var body = await refused.AssertOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
            Assert.Equal("PAR is disabled on this server (feature flag 'par').", body["error_description"]!.GetValue<string>());
        }
        foreach (var path in DiscoveryPaths)
        {
            var discovery = await server.DiscoveryAsync(path);
            Assert.False(discovery.ContainsKey("pushed_authorization_request_endpoint"), path);
            Assert.False(discovery.ContainsKey("require_pushed_authorization_requests"), path);
        }
        Assert.DoesNotContain("par", (await admin.ConfigAsync())["featureFlags"]!.AsArray().Select(f => f!.GetValue<string>()));

        using var on = await admin.PutAsync("/admin/v1/config/features/par", null);

        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await on.JsonAsync())["enabled"]!.GetValue<bool>());
        using (var accepted = await server.PushAsync("app"))
        {
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }
        foreach (var path in DiscoveryPaths)
        {
            var discovery = await server.DiscoveryAsync(path);
            Assert.Equal(ParapetTestServer.Issuer + "/par", discovery["pushed_authorization_request_endpoint"]!.GetValue<string>());
            Assert.False(discovery["require_pushed_authorization_requests"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Feature_endpoints_report_each_flag_and_refuse_unknown_ones()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var list = await admin.GetAsync("/admin/v1/config/features");
        using var par = await admin.GetAsync("/admin/v1/config/features/par");
        using var uma = await admin.GetAsync("/admin/v1/config/features/uma");
        using var bogusGet = await admin.GetAsync("/admin/v1/config/features/bogus");
        using var bogusPut = await admin.PutAsync("/admin/v1/config/features/bogus", null);

        var flags = await list.JsonArrayAsync();
        Assert.Contains(flags, f => f!["flag"]!.GetValue<string>() == "par" && f["enabled"]!.GetValue<bool>() && f["implemented"]!.GetValue<bool>());
        var parBody = await par.JsonAsync();
        Assert.True(parBody["enabled"]!.GetValue<bool>());
        var umaBody = await uma.JsonAsync();
        Assert.False(umaBody["implemented"]!.GetValue<bool>());
        await bogusGet.AssertProblemAsync(HttpStatusCode.NotFound);
        await bogusPut.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Turning_off_the_last_flag_is_refused_with_the_empty_list_message()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        using var only = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"/featureFlags","value":["par"]}]""");
        Assert.Equal(HttpStatusCode.OK, only.StatusCode);

        using var off = await admin.DeleteAsync("/admin/v1/config/features/par");

        var problem = await off.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'featureFlags'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["par"], (await admin.ConfigAsync())["featureFlags"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task An_mtls_par_endpoint_is_published_as_an_alias_only_while_par_is_on()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        Assert.False((await server.DiscoveryAsync()).ContainsKey("mtls_endpoint_aliases"));

        using var patch = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"mtlsParEndpoint","value":"https://mtls.idp.example/par"}]""");
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        foreach (var path in DiscoveryPaths)
        {
            var aliases = (await server.DiscoveryAsync(path))["mtls_endpoint_aliases"]!.AsObject();
            Assert.Equal("https://mtls.idp.example/par", aliases["pushed_authorization_request_endpoint"]!.GetValue<string>());
        }

        using var off = await admin.DeleteAsync("/admin/v1/config/features/par");
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        var withoutPar = await server.DiscoveryAsync();
        Assert.False(withoutPar["mtls_endpoint_aliases"]?.AsObject().ContainsKey("pushed_authorization_request_endpoint") ?? false);

        using var on = await admin.PutAsync("/admin/v1/config/features/par", null);
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.Equal("https://mtls.idp.example/par",
            (await server.DiscoveryAsync())["mtls_endpoint_aliases"]!["pushed_authorization_request_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_blank_mtls_par_endpoint_publishes_no_alias_but_other_mtls_endpoints_still_show()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var patch = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"/mtlsTokenEndpoint","value":"https://mtls.idp.example/token"}]""");

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var aliases = (await server.DiscoveryAsync())["mtls_endpoint_aliases"]!.AsObject();
        Assert.Equal("https://mtls.idp.example/token", aliases["token_endpoint"]!.GetValue<string>());
        Assert.False(aliases.ContainsKey("pushed_authorization_request_endpoint"));
    }

    [Fact]
    public async Task A_changed_par_endpoint_is_published_and_the_route_stays_at_par()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var admin = await server.CreateAdminClientAsync();

        using var patch = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"/parEndpoint","value":"https://idp.example/jans-auth/restv1/par"}]""");

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        foreach (var path in DiscoveryPaths)
        {
            Assert.Equal("https://idp.example/jans-auth/restv1/par", (await server.DiscoveryAsync(path))["pushed_authorization_request_endpoint"]!.GetValue<string>());
        }
        using var push = await server.PushAsync("app");
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
    }

    [Fact]
    public async Task Request_uri_parameter_supported_is_published_from_the_property()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        Assert.True((await server.DiscoveryAsync())["request_uri_parameter_supported"]!.GetValue<bool>());

        using var patch = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"requestUriParameterSupported","value":false}]""");

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        foreach (var path in DiscoveryPaths)
        {
            Assert.False((await server.DiscoveryAsync(path))["request_uri_parameter_supported"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Discovery_publishes_the_issuer_endpoints_and_pkce_s256()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var discovery = await server.DiscoveryAsync();

        Assert.Equal(ParapetTestServer.Issuer, discovery["issuer"]!.GetValue<string>());
        Assert.Equal(ParapetTestServer.Issuer + "/par", discovery["pushed_authorization_request_endpoint"]!.GetValue<string>());
        Assert.Equal(ParapetTestServer.Issuer + "/jwks", discovery["jwks_uri"]!.GetValue<string>());
        Assert.Equal(["S256"], discovery["code_challenge_methods_supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(discovery["authorization_response_iss_parameter_supported"]!.GetValue<bool>());
        Assert.False(discovery.ContainsKey("registration_endpoint"));
    }

    [Fact]
    public async Task Jwks_publishes_rsa_and_es256_public_keys_current_and_next()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();

        using var response = await http.GetAsync("/jwks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = (await response.JsonAsync())["keys"]!.AsArray().Select(k => k!.AsObject()).ToList();
        // DESIGN §2.7: the next key of each algorithm is published before it signs.
        // The RSA keys sign RS256 and, for FAPI clients, PS256, so they carry no alg (RFC 7517 §4.4 would pin them to one).
        // RFC 7517 §4.2: signing keys "sig"; the two encryption keys (RSA-OAEP-256, ECDH-ES) "enc", each keeping its alg.
        var signing = keys.Where(k => k["use"]!.GetValue<string>() == "sig").ToList();
        var encryption = keys.Where(k => k["use"]!.GetValue<string>() == "enc").ToList();
        Assert.Equal(keys.Count, signing.Count + encryption.Count);
        Assert.Equal(["ECDH-ES", "RSA-OAEP-256"], encryption.Select(k => k["alg"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(2, signing.Count(k => k["kty"]!.GetValue<string>() == "RSA" && !k.ContainsKey("alg")));
        Assert.Equal(2, signing.Count(k => k["alg"]?.GetValue<string>() == "ES256"));
        Assert.Equal(4, signing.Count);
        var rsa = signing.First(k => k["kty"]!.GetValue<string>() == "RSA");
        var ec = signing.First(k => k["alg"]?.GetValue<string>() == "ES256");
        Assert.False(string.IsNullOrEmpty(rsa["n"]?.GetValue<string>()));
        Assert.Equal("EC", ec["kty"]!.GetValue<string>());
        Assert.Equal("P-256", ec["crv"]!.GetValue<string>());
        Assert.All(keys, k =>
        {
            Assert.False(string.IsNullOrEmpty(k["kid"]?.GetValue<string>()));
            foreach (var privateMember in new[] { "d", "p", "q", "dp", "dq", "qi" })
            {
                Assert.False(k.ContainsKey(privateMember), privateMember);
            }
        });
        Assert.NotEqual(rsa["kid"]!.GetValue<string>(), ec["kid"]!.GetValue<string>());
    }
}
