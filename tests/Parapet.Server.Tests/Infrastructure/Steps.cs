using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Parapet.Server.Tests.Infrastructure;

/// <summary>
/// The steps of the PAR → authorize → login → consent → token flow as a client and a browser take them, so flow tests
/// read as the protocol's steps. Every step returns the raw response; the tests assert on it.
/// </summary>
public static partial class Steps
{
    public const string State = "state-from-the-push";
    public const string Nonce = "nonce-from-the-push";
    public const string Username = "alice";

    /// <summary>A valid pushed authorization request; <paramref name="overrides"/> replace (or, with a null value, remove) members.</summary>
    public static Dictionary<string, string> PushParameters(params (string Name, string? Value)[] overrides)
    {
        var form = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["redirect_uri"] = ParapetTestServer.RedirectUri,
            ["scope"] = "openid profile offline_access",
            ["state"] = State,
            ["nonce"] = Nonce,
            ["code_challenge"] = Pkce.Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                form.Remove(name);
            }
            else
            {
                form[name] = value;
            }
        }
        return form;
    }

    /// <summary>POST /par with a form body and, when given, an Authorization header.</summary>
    public static async Task<HttpResponseMessage> PostParAsync(this ParapetTestServer server, IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? authorization)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    /// <summary>A successful push by a client_secret_basic client; returns the request URI.</summary>
    public static async Task<string> PushAsync(this ParapetTestServer server, string clientId, params (string Name, string? Value)[] overrides)
    {
        using var response = await server.PostParAsync(PushParameters(overrides), ParapetTestServer.Basic(clientId, ParapetTestServer.ClientSecret));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"push failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["request_uri"]!.GetValue<string>();
    }

    public static string AuthorizeUrl(string clientId, string requestUri, string extraQuery = "") =>
        $"/authorize?client_id={Uri.EscapeDataString(clientId)}&request_uri={Uri.EscapeDataString(requestUri)}{extraQuery}";

    public static Task<HttpResponseMessage> AuthorizeAsync(this HttpClient browser, string clientId, string requestUri, string extraQuery = "") =>
        browser.GetAsync(AuthorizeUrl(clientId, requestUri, extraQuery));

    public static string LocationOf(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)response.StatusCode}");
        return response.Headers.Location!.OriginalString;
    }

    public static Dictionary<string, StringValues> QueryOf(string url) =>
        QueryHelpers.ParseQuery(url.Contains('?', StringComparison.Ordinal) ? url[url.IndexOf('?', StringComparison.Ordinal)..] : "");

    /// <summary>The hidden inputs of the first form on an HTML page, HTML-decoded.</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));

    /// <summary>Follows a redirect to /login, reads the antiforgery field from the page and signs in; returns the POST's response.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient browser, string loginUrl, string username = Username, string password = ParapetTestServer.UserPassword)
    {
        Assert.StartsWith("/login?", loginUrl);
        using var page = await browser.GetAsync(loginUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = HiddenFields(await page.Content.ReadAsStringAsync());
        Assert.True(fields.ContainsKey("__antiforgery"), "the login page has no antiforgery field");
        fields["username"] = username;
        fields["password"] = password;
        return await browser.PostAsync("/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>Posts the consent page's form with the given decision (<c>allow</c> or <c>deny</c>).</summary>
    public static async Task<HttpResponseMessage> DecideAsync(this HttpClient browser, string consentHtml, string decision)
    {
        Assert.Contains("name=\"decision\" value=\"allow\"", consentHtml);
        Assert.Contains("name=\"decision\" value=\"deny\"", consentHtml);
        var fields = HiddenFields(consentHtml);
        fields["decision"] = decision;
        return await browser.PostAsync("/consent", new FormUrlEncodedContent(fields));
    }

    /// <summary>
    /// From GET /authorize to the response that leaves the server for the client (the redirect to the redirect URI, or the
    /// form_post page): signs in when asked, and answers the consent page with <paramref name="decision"/> when shown.
    /// </summary>
    public static async Task<HttpResponseMessage> CompleteAsync(this HttpClient browser, string clientId, string requestUri, string decision = "allow")
    {
        var response = await browser.AuthorizeAsync(clientId, requestUri);
        if (response.StatusCode == HttpStatusCode.Redirect && LocationOf(response).StartsWith("/login?", StringComparison.Ordinal))
        {
            using var signedIn = await browser.SignInAsync(LocationOf(response));
            var back = LocationOf(signedIn);
            Assert.StartsWith("/authorize?", back);
            response.Dispose();
            response = await browser.GetAsync(back);
        }
        if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("action=\"/consent\"", StringComparison.Ordinal))
        {
            var html = await response.Content.ReadAsStringAsync();
            response.Dispose();
            response = await browser.DecideAsync(html, decision);
        }
        return response;
    }

    /// <summary>The whole front channel, returning the query of the redirect back to the client.</summary>
    public static async Task<Dictionary<string, StringValues>> AuthorizeToRedirectAsync(this HttpClient browser, string clientId, string requestUri, string decision = "allow")
    {
        using var response = await browser.CompleteAsync(clientId, requestUri, decision);
        var location = LocationOf(response);
        Assert.StartsWith(ParapetTestServer.RedirectUri + "?", location);
        return QueryOf(location);
    }

    /// <summary>Push, then the whole front channel in a fresh browser; returns the code.</summary>
    public static async Task<string> CodeAsync(this ParapetTestServer server, string clientId, params (string Name, string? Value)[] overrides)
    {
        var requestUri = await server.PushAsync(clientId, overrides);
        using var browser = server.CreateBrowser();
        var query = await browser.AuthorizeToRedirectAsync(clientId, requestUri);
        return query["code"].ToString();
    }

    /// <summary>POST /token as a client_secret_basic client.</summary>
    public static async Task<HttpResponseMessage> PostTokenAsync(this ParapetTestServer server, string clientId, params (string Name, string Value)[] form)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))),
        };
        request.Headers.Authorization = ParapetTestServer.Basic(clientId, ParapetTestServer.ClientSecret);
        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> RedeemAsync(this ParapetTestServer server, string clientId, string code, string verifier = Pkce.Verifier) =>
        server.PostTokenAsync(clientId, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", ParapetTestServer.RedirectUri), ("code_verifier", verifier));

    public static Task<HttpResponseMessage> RefreshAsync(this ParapetTestServer server, string clientId, string refreshToken) =>
        server.PostTokenAsync(clientId, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public static async Task<HttpResponseMessage> UserInfoAsync(this ParapetTestServer server, string accessToken)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await http.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Asserts an RFC 6749 JSON error with exactly this status, code and description.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string description)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(error, body["error"]?.GetValue<string>());
        Assert.Equal(description, body["error_description"]?.GetValue<string>());
    }

    /// <summary>Asserts the HTML error page (never a redirect) with this code and description.</summary>
    public static async Task AssertErrorPageAsync(HttpResponseMessage response, string error, string description)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected the 400 error page, got {(int)response.StatusCode} {response.Headers.Location}");
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<code id=\"error\">{WebUtility.HtmlEncode(error)}</code>", html);
        Assert.Contains($"<p id=\"error_description\">{WebUtility.HtmlEncode(description)}</p>", html);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
