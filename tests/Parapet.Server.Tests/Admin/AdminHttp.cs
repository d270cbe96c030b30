using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

/// <summary>Small steps the admin tests share: JSON Patch, discovery, a push, a client_credentials token.</summary>
internal static class AdminHttp
{
    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static async Task<JsonArray> JsonArrayAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonArray>())!;

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient http, string path, string patch, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(patch, Encoding.UTF8, "application/json-patch+json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return http.SendAsync(request);
    }

    public static async Task<JsonObject> ConfigAsync(this HttpClient admin)
    {
        using var response = await admin.GetAsync("/admin/v1/config");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<JsonObject> DiscoveryAsync(this ParapetTestServer server, string path = "/.well-known/openid-configuration")
    {
        using var http = server.CreateClient();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>POST /par with Basic authentication and a valid code-flow request.</summary>
    public static async Task<HttpResponseMessage> PushAsync(this ParapetTestServer server, string clientId, string secret = ParapetTestServer.ClientSecret, string redirectUri = ParapetTestServer.RedirectUri)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["response_type"] = "code",
                ["redirect_uri"] = redirectUri,
                ["scope"] = "openid",
                ["state"] = "st",
                ["code_challenge"] = Pkce.Challenge,
                ["code_challenge_method"] = "S256",
            }),
        };
        request.Headers.Authorization = ParapetTestServer.Basic(clientId, secret);
        return await http.SendAsync(request);
    }

    /// <summary>Pushes and returns the request_uri (asserting 201).</summary>
    public static async Task<string> PushedRequestUriAsync(this ParapetTestServer server, string clientId, string secret = ParapetTestServer.ClientSecret)
    {
        using var response = await server.PushAsync(clientId, secret);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync())["request_uri"]!.GetValue<string>();
    }

    /// <summary>POST /token with grant_type=client_credentials and Basic authentication.</summary>
    public static async Task<HttpResponseMessage> ClientCredentialsAsync(this ParapetTestServer server, string clientId, string secret, string? scope = null)
    {
        using var http = server.CreateClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = ParapetTestServer.Basic(clientId, secret);
        return await http.SendAsync(request);
    }

    public static HttpClient WithBearer(this HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Asserts an OAuth JSON error (RFC 6749 §5.2) and returns its body.</summary>
    public static async Task<JsonObject> AssertOAuthErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.JsonAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(error, body["error"]?.GetValue<string>());
        return body;
    }

    /// <summary>Asserts an admin problem-details answer and returns its body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? error = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        if (error is not null)
        {
            Assert.Equal(error, body["error"]?.GetValue<string>());
        }
        return body;
    }
}
