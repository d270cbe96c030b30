using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Parapet.Protocol.Properties;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Surface;

/// <summary>DESIGN §2.7: discovery lists exactly the enabled endpoints, at the URLs the properties say.</summary>
public sealed class SurfaceDiscoveryTests
{
    private static async Task<JsonObject> DiscoveryAsync(ParapetTestServer server)
    {
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/.well-known/openid-configuration");
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Introspection_revocation_and_end_session_are_on_by_default_under_the_issuer()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var discovery = await DiscoveryAsync(server);

        Assert.Equal(ParapetTestServer.Issuer + "/introspect", discovery["introspection_endpoint"]!.GetValue<string>());
        Assert.Equal(ParapetTestServer.Issuer + "/revoke", discovery["revocation_endpoint"]!.GetValue<string>());
        Assert.Equal(ParapetTestServer.Issuer + "/end_session", discovery["end_session_endpoint"]!.GetValue<string>());
        Assert.DoesNotContain("none", discovery["introspection_endpoint_auth_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Subset(FeatureFlagCatalog.Implemented.ToHashSet(), new HashSet<string> { "introspection", "revoke_token", "end_session" });
    }

    [Theory]
    [InlineData(FeatureFlagCatalog.Introspection, "introspection_endpoint")]
    [InlineData(FeatureFlagCatalog.RevokeToken, "revocation_endpoint")]
    [InlineData(FeatureFlagCatalog.EndSession, "end_session_endpoint")]
    public async Task Endpoint_leaves_discovery_while_its_flag_is_off_and_returns_when_on(string flag, string member)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        await server.DisableAsync(flag);
        var off = await DiscoveryAsync(server);
        using var enable = await admin.PutAsync("/admin/v1/config/features/" + flag, null);
        var on = await DiscoveryAsync(server);

        Assert.False(off.ContainsKey(member));
        Assert.True(enable.IsSuccessStatusCode);
        Assert.True(on.ContainsKey(member));
    }

    [Fact]
    public async Task Endpoint_properties_change_the_published_urls_at_once()
    {
        await using var server = await ParapetTestServer.StartAsync();

        await server.PatchPropertiesAsync("""
            [{"op":"replace","path":"/introspectionEndpoint","value":"https://auth.example/introspect"},
             {"op":"replace","path":"/revocationEndpoint","value":"https://auth.example/revoke"},
             {"op":"replace","path":"/endSessionEndpoint","value":"https://auth.example/end_session"}]
            """);
        var discovery = await DiscoveryAsync(server);

        Assert.Equal("https://auth.example/introspect", discovery["introspection_endpoint"]!.GetValue<string>());
        Assert.Equal("https://auth.example/revoke", discovery["revocation_endpoint"]!.GetValue<string>());
        Assert.Equal("https://auth.example/end_session", discovery["end_session_endpoint"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("introspectionEndpoint")]
    [InlineData("revocationEndpoint")]
    [InlineData("endSessionEndpoint")]
    public async Task Endpoint_property_that_is_not_a_url_is_refused(string property)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var content = new StringContent($$"""[{"op":"replace","path":"/{{property}}","value":"ftp://x/y"}]""", Encoding.UTF8, "application/json-patch+json");
        using var response = await admin.PatchAsync("/admin/v1/config", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"Property '{property}' must be an absolute http(s) URL without query or fragment.", await response.Content.ReadAsStringAsync());
    }
}
