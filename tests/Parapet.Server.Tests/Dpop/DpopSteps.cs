using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Dpop;

/// <summary>The flow's steps with DPoP headers: a push, a token request and a userinfo call, each with any proofs.</summary>
internal static class DpopSteps
{
    public const string ParUrl = ParapetTestServer.Issuer + "/par";
    public const string TokenUrl = ParapetTestServer.Issuer + "/token";
    public const string UserInfoUrl = ParapetTestServer.Issuer + "/userinfo";
    public const string Public = "public-app";

    /// <summary>A server with the confidential client <c>app</c> (also allowed client_credentials), the public client and alice.</summary>
    public static async Task<ParapetTestServer> ServerAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var server = await ParapetTestServer.StartAsync(services);
        await server.CreateClientAsync("app", new JsonObject
        {
            ["trusted"] = true,
            ["grant_types"] = new JsonArray("authorization_code", "refresh_token", "client_credentials"),
        });
        await server.CreateClientAsync(Public, new JsonObject { ["trusted"] = true, ["token_endpoint_auth_method"] = "none" });
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    public static async Task<HttpResponseMessage> PostAsync(this ParapetTestServer server, string path, IEnumerable<KeyValuePair<string, string>> form,
        string? clientId, params string[] proofs)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (clientId is not null)
        {
            request.Headers.Authorization = ParapetTestServer.Basic(clientId, ParapetTestServer.ClientSecret);
        }
        foreach (var proof in proofs)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }
        return await http.SendAsync(request);
    }

    /// <summary>A push by <c>app</c> (or, with <paramref name="publicClient"/>, by the public client) with an optional proof; returns the request URI.</summary>
    public static async Task<string> PushAsync(this ParapetTestServer server, string? proof, bool publicClient = false, params (string Name, string? Value)[] overrides)
    {
        var form = Steps.PushParameters(overrides);
        if (publicClient)
        {
            form["client_id"] = Public;
        }
        using var response = await server.PostAsync("/par", form, publicClient ? null : "app", proof is null ? [] : [proof]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"push failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["request_uri"]!.GetValue<string>();
    }

    /// <summary>Push (with an optional proof or dpop_jkt), then the front channel; returns the code.</summary>
    public static async Task<string> CodeAsync(this ParapetTestServer server, string? proof, bool publicClient = false, params (string Name, string? Value)[] overrides)
    {
        var requestUri = await server.PushAsync(proof, publicClient, overrides);
        using var browser = server.CreateBrowser();
        var query = await browser.AuthorizeToRedirectAsync(publicClient ? Public : "app", requestUri);
        return query["code"].ToString();
    }

    public static Task<HttpResponseMessage> RedeemAsync(this ParapetTestServer server, string code, bool publicClient = false, params string[] proofs)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = ParapetTestServer.RedirectUri, ["code_verifier"] = Pkce.Verifier,
        };
        if (publicClient)
        {
            form["client_id"] = Public;
        }
        return server.PostAsync("/token", form, publicClient ? null : "app", proofs);
    }

    public static Task<HttpResponseMessage> RefreshAsync(this ParapetTestServer server, string refreshToken, bool publicClient, params string[] proofs)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
        if (publicClient)
        {
            form["client_id"] = Public;
        }
        return server.PostAsync("/token", form, publicClient ? null : "app", proofs);
    }

    public static Task<HttpResponseMessage> ClientCredentialsAsync(this ParapetTestServer server, params string[] proofs) =>
        server.PostAsync("/token", new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, "app", proofs);

    public static async Task<HttpResponseMessage> UserInfoAsync(this ParapetTestServer server, string scheme, string accessToken, string? proof)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, accessToken);
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }
        return await http.SendAsync(request);
    }

    /// <summary>The raw <c>WWW-Authenticate</c> value, as the server wrote it.</summary>
    public static string Challenge(HttpResponseMessage response) => string.Join(", ", response.Headers.NonValidated["WWW-Authenticate"]);
}
