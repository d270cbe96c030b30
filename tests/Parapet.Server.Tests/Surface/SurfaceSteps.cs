using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Surface;

/// <summary>The tokens of one real flow (push → authorize → login → consent → token), and the browser that signed in.</summary>
internal sealed record FlowTokens(string AccessToken, string RefreshToken, string IdToken, HttpClient Browser) : IDisposable
{
    public void Dispose() => Browser.Dispose();
}

/// <summary>Steps for the introspection, revocation and logout tests.</summary>
internal static class SurfaceSteps
{
    public const string App = "app";
    public const string Other = "other";
    public const string LogoutUri = "https://client.example/signed-out";

    /// <summary>A server with a trusted confidential client <c>app</c> (with a post-logout redirect URI), a second client <c>other</c>, and alice.</summary>
    public static async Task<ParapetTestServer> ServerAsync()
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync(App, new JsonObject { ["trusted"] = true, ["post_logout_redirect_uris"] = new JsonArray(LogoutUri) });
        await server.CreateClientAsync(Other, new JsonObject { ["trusted"] = true });
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    /// <summary>Runs the whole flow for <paramref name="clientId"/> in a fresh browser, which stays signed in.</summary>
    public static async Task<FlowTokens> SignInAsync(this ParapetTestServer server, string clientId = App)
    {
        var requestUri = await server.PushAsync(clientId);
        var browser = server.CreateBrowser();
        var query = await browser.AuthorizeToRedirectAsync(clientId, requestUri);
        using var response = await server.RedeemAsync(clientId, query["code"].ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Steps.JsonAsync(response);
        return new FlowTokens(body["access_token"]!.GetValue<string>(), body["refresh_token"]!.GetValue<string>(), body["id_token"]!.GetValue<string>(), browser);
    }

    public static Task<HttpResponseMessage> IntrospectAsync(this ParapetTestServer server, string clientId, string token, string? hint = null) =>
        PostAsync(server, "/introspect", ParapetTestServer.Basic(clientId, ParapetTestServer.ClientSecret), token, hint);

    public static Task<HttpResponseMessage> RevokeAsync(this ParapetTestServer server, string clientId, string token, string? hint = null) =>
        PostAsync(server, "/revoke", ParapetTestServer.Basic(clientId, ParapetTestServer.ClientSecret), token, hint);

    /// <summary>Introspection by the admin client that <c>parapet serve</c> created (it holds <c>parapet.admin</c>).</summary>
    public static Task<HttpResponseMessage> IntrospectAsAdminAsync(this ParapetTestServer server, string token)
    {
        var admin = AdminCredentials.Read(server.DataDir)!;
        return PostAsync(server, "/introspect", ParapetTestServer.Basic(admin.ClientId, admin.ClientSecret), token, null);
    }

    public static async Task<HttpResponseMessage> PostAsync(ParapetTestServer server, string path, AuthenticationHeaderValue? authorization, string? token, string? hint)
    {
        var form = new Dictionary<string, string>();
        if (token is not null)
        {
            form["token"] = token;
        }
        if (hint is not null)
        {
            form["token_type_hint"] = hint;
        }
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    /// <summary>Asserts <c>{"active":false}</c> and nothing else (RFC 7662 §2.2).</summary>
    public static async Task AssertInactiveAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var body = await Steps.JsonAsync(response);
        Assert.Equal("""{"active":false}""", body.ToJsonString());
    }

    public static async Task<bool> IsActiveAsync(this ParapetTestServer server, string clientId, string token)
    {
        using var response = await server.IntrospectAsync(clientId, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Steps.JsonAsync(response))["active"]!.GetValue<bool>();
    }

    public static async Task DisableAsync(this ParapetTestServer server, string flag)
    {
        using var admin = await server.CreateAdminClientAsync();
        using var response = await admin.DeleteAsync("/admin/v1/config/features/" + flag);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
