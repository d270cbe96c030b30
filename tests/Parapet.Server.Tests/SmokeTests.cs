using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Push_returns_201_with_request_uri_and_no_cache()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["response_type"] = "code",
                ["redirect_uri"] = ParapetTestServer.RedirectUri,
                ["scope"] = "openid",
                ["code_challenge"] = Pkce.Challenge,
                ["code_challenge_method"] = "S256",
            }),
        };
        request.Headers.Authorization = ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.True(response.Headers.CacheControl.NoStore);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", body!["request_uri"]!.GetValue<string>());
        Assert.Equal(600, body["expires_in"]!.GetValue<int>());
    }
}
