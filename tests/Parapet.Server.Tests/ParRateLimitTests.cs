using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests;

public sealed class ParRateLimitTests
{
    private static HttpRequestMessage Push(string clientId) => new(HttpMethod.Post, "/par")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["redirect_uri"] = ParapetTestServer.RedirectUri,
            ["scope"] = "openid",
            ["code_challenge"] = Pkce.Challenge,
            ["code_challenge_method"] = "S256",
        }),
        Headers = { Authorization = ParapetTestServer.Basic(clientId, ParapetTestServer.ClientSecret) },
    };

    [Fact]
    public async Task Client_over_parRateLimitPerMinute_gets_429_with_Retry_After_and_others_are_unaffected()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("busy");
        await server.CreateClientAsync("calm");
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/parRateLimitPerMinute","value":3}]""");
        using var http = server.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.SendAsync(Push("busy"));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        using var limited = await http.SendAsync(Push("busy"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var body = await limited.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("too_many_requests", body!["error"]!.GetValue<string>());

        using var other = await http.SendAsync(Push("calm"));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Without_a_limit_pushes_are_not_counted()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var http = server.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            using var ok = await http.SendAsync(Push("app"));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
    }
}
