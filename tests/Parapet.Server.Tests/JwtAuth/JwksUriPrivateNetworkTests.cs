using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Parapet.Hosting;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>
/// A client's jwks_uri is the client's to choose: the server must not be talked into fetching from its own host, its private
/// networks or a cloud metadata service (server-side request forgery), unless jwksUriAllowPrivateNetworks says so.
/// </summary>
public sealed class JwksUriPrivateNetworkTests
{
    private const string ClientId = "ssrf";
    private static readonly ClientKey Key = ClientKey.Rsa("ssrf-1");

    private static async Task<ParapetTestServer> ServerAsync(string jwksUri, bool allowPrivateNetworks, LocalHttpsJwks? jwks = null)
    {
        var server = await ParapetTestServer.StartAsync(jwks is null ? null : jwks.Trust);
        if (allowPrivateNetworks)
        {
            await AllowPrivateNetworksAsync(server, true);
        }
        await server.CreateClientAsync(ClientId, new JsonObject
        {
            ["jwks_uri"] = jwksUri,
            ["token_endpoint_auth_method"] = "private_key_jwt",
        });
        return server;
    }

    private static Task AllowPrivateNetworksAsync(ParapetTestServer server, bool allow) =>
        server.PatchPropertiesAsync($$"""[{"op":"replace","path":"/jwksUriAllowPrivateNetworks","value":{{(allow ? "true" : "false")}}}]""");

    private static Task<HttpResponseMessage> PushAsync(ParapetTestServer server) =>
        server.PostParAsync(Steps.PushParameters(Jwts.AssertionForm(Jwts.Sign(Jwts.AssertionClaims(ClientId, server.Time.GetUtcNow()), Key))), null);

    private static async Task AssertRefusedAsync(ParapetTestServer server, HttpResponseMessage response, string host)
    {
        var expected = OAuthErrors.ClientAuthenticationFailed(basicTried: false);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        Assert.Contains(server.Logs.GetSnapshot(), r => r.Message.Contains($"'{host}' resolves to the non-public address", StringComparison.Ordinal)
            && r.Message.Contains("jwksUriAllowPrivateNetworks", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://127.0.0.1:9/jwks", "127.0.0.1")]
    [InlineData("https://10.20.30.40/jwks", "10.20.30.40")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("https://[::1]:9/jwks", "[::1]")]
    [InlineData("https://[::ffff:127.0.0.1]:9/jwks", "[::ffff:127.0.0.1]")]
    [InlineData("https://localhost:9/jwks", "localhost")]
    public async Task A_jwks_uri_on_a_non_public_address_is_not_fetched_and_private_key_jwt_fails(string jwksUri, string host)
    {
        await using var server = await ServerAsync(jwksUri, allowPrivateNetworks: false);

        using var response = await PushAsync(server);

        await AssertRefusedAsync(server, response, host);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_loopback_jwks_uri_is_fetched_when_private_networks_are_allowed_and_refused_again_when_not(string host)
    {
        await using var jwks = await LocalHttpsJwks.StartAsync(ClientKey.Set(Key).ToJsonString());
        await using var server = await ServerAsync($"https://{host}:{jwks.Port}/jwks", allowPrivateNetworks: true, jwks);

        using var allowed = await PushAsync(server);
        await AllowPrivateNetworksAsync(server, false);
        // The fetched keys are cached; a kid the cache lacks makes the server fetch again, which the guard now stops.
        server.Time.Advance(ClientKeyResolver.MinimumRefetchInterval);
        using var refused = await server.PostParAsync(Steps.PushParameters(Jwts.AssertionForm(
            Jwts.Sign(Jwts.AssertionClaims(ClientId, server.Time.GetUtcNow()), ClientKey.Rsa("ssrf-2")))), null);

        Assert.True(allowed.StatusCode == HttpStatusCode.Created, await allowed.Content.ReadAsStringAsync());
        await AssertRefusedAsync(server, refused, host);
    }

    /// <summary>Registration already insists on https; the fetcher holds to it too, whatever the stored URL (e.g. an import).</summary>
    [Fact]
    public async Task A_plain_http_jwks_uri_is_not_fetched_while_private_networks_are_not_allowed()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var fetcher = server.Services.GetRequiredService<IJwksFetcher>();

        var document = await fetcher.FetchAsync(new Uri("http://93.184.216.34/jwks"), CancellationToken.None);

        Assert.Null(document);
        Assert.Contains(server.Logs.GetSnapshot(), r => r.Message.Contains("refused: only https is fetched", StringComparison.Ordinal));
    }

    [Fact]
    public void The_allowance_is_off_by_default()
    {
        Assert.False(new Protocol.Properties.ServerProperties().JwksUriAllowPrivateNetworks);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("100.127.255.255", true)]
    [InlineData("224.0.0.251", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("::", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("fc00::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("64:ff9b::7f00:1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("172.15.255.255", false)]
    [InlineData("172.32.0.0", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("2606:4700:4700::1111", false)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("64:ff9b::808:808", false)]
    public void Non_public_addresses_are_recognised_in_every_form(string address, bool nonPublic)
    {
        Assert.Equal(nonPublic, PrivateNetworks.Contains(IPAddress.Parse(address)));
    }
}
