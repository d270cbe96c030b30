using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Playwright;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>One authorization attempt: its own state, nonce and PKCE pair.</summary>
public sealed record Attempt(string State, string Nonce, string CodeVerifier)
{
    public string CodeChallenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(CodeVerifier)));

    public static Attempt New() => new(Random(16), Random(16), Random(32));

    private static string Random(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The client's back channel (HttpClient) and the user's steps in the browser (Playwright), as the tests use them.</summary>
public static class Flow
{
    /// <summary>POST /par with client_secret_basic; asserts 201 and returns the request_uri.</summary>
    public static async Task<string> PushAsync(ParapetProcess server, TestClient client, Attempt attempt, string scope = "openid profile email")
    {
        var (status, body) = await TryPushAsync(server, client, attempt, scope);
        Assert.True(status == HttpStatusCode.Created, $"POST /par: {(int)status} {body}");
        return body["request_uri"]!.GetValue<string>();
    }

    /// <summary>POST /par with client_secret_basic; returns the status and the JSON body, whatever they are.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> TryPushAsync(ParapetProcess server, TestClient client, Attempt attempt, string scope = "openid profile email")
    {
        var (status, body, _) = await TryPushWithHeadersAsync(server, client, attempt, scope);
        return (status, body);
    }

    /// <summary>As <see cref="TryPushAsync"/>, with the response headers.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body, System.Net.Http.Headers.HttpResponseHeaders Headers)> TryPushWithHeadersAsync(
        ParapetProcess server, TestClient client, Attempt attempt, string scope = "openid profile email")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["response_type"] = "code",
                ["redirect_uri"] = client.RedirectUri,
                ["scope"] = scope,
                ["state"] = attempt.State,
                ["nonce"] = attempt.Nonce,
                ["code_challenge"] = attempt.CodeChallenge,
                ["code_challenge_method"] = "S256",
            }),
        };
        request.Headers.Authorization = ParapetProcess.Basic(client.ClientId, client.ClientSecret);
        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!, response.Headers);
    }

    public static string AuthorizeUrl(ParapetProcess server, TestClient client, string requestUri) =>
        $"{server.Issuer}/authorize?client_id={Uri.EscapeDataString(client.ClientId)}&request_uri={Uri.EscapeDataString(requestUri)}";

    /// <summary>Fills the login form (inputs <c>username</c>, <c>password</c>) and submits it.</summary>
    public static async Task SignInAsync(IPage page, TestUser user)
    {
        await page.Locator("input[name=username]").FillAsync(user.Username);
        await page.Locator("input[name=password]").FillAsync(user.Password);
        await page.Locator("form button[type=submit]").ClickAsync();
    }

    /// <summary>Waits for the consent page and clicks its approve button (<c>name=decision value=allow</c>).</summary>
    public static async Task AllowAsync(IPage page)
    {
        var allow = page.Locator("button[name=decision][value=allow]");
        await allow.WaitForAsync();
        await allow.ClickAsync();
    }

    /// <summary>Waits until the browser shows the client's redirect URI and returns its query parameters.</summary>
    public static async Task<Dictionary<string, string>> LandedAsync(IPage page, TestClient client)
    {
        await page.WaitForURLAsync(url => url.StartsWith(client.RedirectUri + "?", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Back at the client");
        var query = HttpUtility.ParseQueryString(new Uri(page.Url).Query);
        return query.AllKeys.ToDictionary(k => k!, k => query[k]!);
    }

    /// <summary>The whole browser part for a pushed request: authorize → sign in → allow → back at the client.</summary>
    public static async Task<Dictionary<string, string>> AuthorizeInBrowserAsync(IPage page, ParapetProcess server, TestClient client, string requestUri, TestUser user)
    {
        await page.GotoAsync(AuthorizeUrl(server, client, requestUri));
        await SignInAsync(page, user);
        await AllowAsync(page);
        return await LandedAsync(page, client);
    }

    /// <summary>Redeems a code at /token with client_secret_basic and the PKCE verifier; asserts 200.</summary>
    public static async Task<JsonObject> RedeemAsync(ParapetProcess server, TestClient client, string code, Attempt attempt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = client.RedirectUri,
                ["code_verifier"] = attempt.CodeVerifier,
            }),
        };
        request.Headers.Authorization = ParapetProcess.Basic(client.ClientId, client.ClientSecret);
        using var response = await server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST /token: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>The claims of a JWT (its payload), without checking the signature.</summary>
    public static JsonObject Claims(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(payload))!.AsObject();
    }

    public static async Task<JsonObject> UserInfoAsync(ParapetProcess server, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/userinfo");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /userinfo: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Asserts that the browser shows Parapet's error page with <paramref name="error"/> and stayed on the server.</summary>
    public static async Task ShowsErrorPageAsync(IPage page, ParapetProcess server, IResponse? response, string error)
    {
        Assert.NotNull(response);
        Assert.Equal(400, response.Status);
        Assert.StartsWith(server.Issuer + "/", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#error")).ToHaveTextAsync(error);
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;
}
