using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>
/// DESIGN §2.8 and §7: bad input is always a 4xx with an OAuth error (or, for a plain authorization request whose client and
/// redirect URI are valid, an error redirect to the client), never a 5xx.
/// </summary>
public sealed class MalformedInputTests
{
    private const string Form = "application/x-www-form-urlencoded";

    private static HttpRequestMessage Post(string path, string body, string contentType = Form, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return request;
    }

    private static HttpRequestMessage PostBytes(string path, byte[] body, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(Form);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return request;
    }

    private static HttpRequestMessage Get(string url, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return request;
    }

    private static string Basic(string raw) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(raw));

    private static string Q(string value) => Uri.EscapeDataString(value);

    private static IEnumerable<(string Name, Func<HttpRequestMessage> Request)> BadInputs()
    {
        var app = Basic("app:" + ParapetTestServer.ClientSecret);
        var valid = string.Join('&', Steps.PushParameters().Select(p => p.Key + "=" + Q(p.Value)));
        var manyParameters = string.Join('&', Enumerable.Range(0, 150).Select(i => $"p{i}=v"));
        var deepJson = new string('[', 5000) + new string(']', 5000);
        var deepObject = string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000);

        // POST /par
        yield return ("par: bad percent-encoding", () => Post("/par", "%zz=%&scope=%", authorization: app));
        yield return ("par: unknown charset", () => Post("/par", valid + "&request_uri=x", Form + "; charset=bogus-charset", app));
        yield return ("par: utf-16 charset", () => Post("/par", valid, Form + "; charset=utf-16", app));
        yield return ("par: invalid utf-8 bytes", () => PostBytes("/par", [.. Encoding.ASCII.GetBytes(valid + "&state="), 0xff, 0xfe, 0xc3], app));
        yield return ("par: 150 parameters", () => Post("/par", manyParameters, authorization: app));
        yield return ("par: 9000-char value", () => Post("/par", valid + "&login_hint=" + new string('a', 9000), authorization: app));
        yield return ("par: 20000-char value", () => Post("/par", valid + "&login_hint=" + new string('a', 20000), authorization: app));
        yield return ("par: parameter without name", () => Post("/par", valid + "&=x&&=", authorization: app));
        yield return ("par: empty values", () => Post("/par", "response_type=&redirect_uri=&scope=&code_challenge=", authorization: app));
        yield return ("par: deep claims array", () => Post("/par", valid + "&claims=" + Q(deepJson), authorization: app));
        yield return ("par: deep claims object", () => Post("/par", valid + "&claims=" + Q(deepObject), authorization: app));
        yield return ("par: huge max_age", () => Post("/par", valid + "&max_age=99999999999999999999", authorization: app));
        yield return ("par: redirect_uri garbage", () => Post("/par", valid.Replace(Q(ParapetTestServer.RedirectUri), Q("::::%%%"), StringComparison.Ordinal), authorization: app));
        yield return ("par: NUL in client_id", () => Post("/par", valid + "&client_id=%00", authorization: app));
        yield return ("par: Basic without colon", () => Post("/par", valid, authorization: Basic("app")));
        yield return ("par: Basic with bad escapes", () => Post("/par", valid, authorization: Basic("%zz:%zz")));
        yield return ("par: Basic not base64", () => Post("/par", valid, authorization: "Basic ****"));
        yield return ("par: Basic empty", () => Post("/par", valid, authorization: "Basic "));
        yield return ("par: Basic invalid utf-8", () => Post("/par", valid, authorization: "Basic " + Convert.ToBase64String([0xff, 0x3a, 0xfe])));
        yield return ("par: Bearer instead of client auth", () => Post("/par", valid, authorization: "Bearer abc"));
        yield return ("par: client_id of 10000 chars", () => Post("/par", valid + "&client_id=" + new string('c', 8000)));
        yield return ("par: json body", () => Post("/par", "{\"response_type\":\"code\"}", "application/json", app));
        yield return ("par: no content type", () => new HttpRequestMessage(HttpMethod.Post, "/par") { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(valid)) });

        // POST /token
        yield return ("token: bad percent-encoding", () => Post("/token", "grant_type=%zz", authorization: app));
        yield return ("token: unknown charset", () => Post("/token", "grant_type=%zz", Form + "; charset=bogus-charset", app));
        yield return ("token: garbage code", () => Post("/token", "grant_type=authorization_code&code=%00%01%02&code_verifier=" + new string('v', 8000), authorization: app));
        yield return ("token: garbage refresh token", () => Post("/token", "grant_type=refresh_token&refresh_token=" + Q("\u0000\u00ff☃"), authorization: app));
        yield return ("token: refresh with huge scope", () => Post("/token", "grant_type=refresh_token&refresh_token=x&scope=" + new string('s', 8000), authorization: app));
        yield return ("token: duplicate grant_type", () => Post("/token", "grant_type=client_credentials&grant_type=client_credentials", authorization: app));
        yield return ("token: empty grant_type", () => Post("/token", "grant_type=", authorization: app));
        yield return ("token: 150 parameters", () => Post("/token", manyParameters, authorization: app));
        yield return ("token: no credentials", () => Post("/token", "grant_type=client_credentials"));
        yield return ("token: json body", () => Post("/token", "{}", "application/json", app));
        yield return ("token: Basic invalid utf-8", () => Post("/token", "grant_type=client_credentials", authorization: "Basic " + Convert.ToBase64String([0xff, 0x3a, 0xfe])));

        // /authorize
        yield return ("authorize: nothing", () => Get("/authorize"));
        yield return ("authorize: duplicate client_id", () => Get("/authorize?client_id=app&client_id=app&request_uri=x"));
        yield return ("authorize: bad percent-encoding", () => Get("/authorize?client_id=%zz&request_uri=%"));
        yield return ("authorize: NUL request_uri", () => Get("/authorize?client_id=app&request_uri=%00"));
        yield return ("authorize: huge request_uri", () => Get("/authorize?client_id=app&request_uri=urn:ietf:params:oauth:request_uri:" + new string('A', 8100)));
        yield return ("authorize: huge client_id", () => Get("/authorize?client_id=" + new string('c', 8000) + "&request_uri=x"));
        yield return ("authorize: 150 parameters", () => Get("/authorize?" + manyParameters));
        yield return ("authorize: plain with garbage redirect_uri", () => Get("/authorize?client_id=app&response_type=code&redirect_uri=" + Q("::%%") + "&scope=openid"));
        yield return ("authorize: plain with huge max_age", () => Get("/authorize?client_id=app&response_type=code&scope=openid&code_challenge=" + Pkce.Challenge + "&code_challenge_method=S256&max_age=99999999999999999999"));
        yield return ("authorize: plain with deep claims", () => Get("/authorize?client_id=app&response_type=code&scope=openid&code_challenge=" + Pkce.Challenge + "&code_challenge_method=S256&claims=" + Q(deepObject[..6000] + deepObject[^1000..])));
        yield return ("authorize: plain with bad response_mode", () => Get("/authorize?client_id=app&response_type=code&scope=openid&response_mode=" + Q("<script>")));
        yield return ("authorize: post json", () => Post("/authorize", "{}", "application/json"));
        yield return ("authorize: post unknown charset", () => Post("/authorize", "client_id=app&request_uri=x", Form + "; charset=bogus-charset"));
        yield return ("authorize: post bad percent-encoding", () => Post("/authorize", "client_id=%zz&request_uri=%"));

        // The browser pages around /authorize
        yield return ("consent: no antiforgery", () => Post("/consent", "client_id=app&request_uri=x&decision=allow"));
        yield return ("consent: json", () => Post("/consent", "{}", "application/json"));
        yield return ("login: no antiforgery", () => Post("/login", "username=alice&password=x"));
        yield return ("login: json", () => Post("/login", "{}", "application/json"));
        yield return ("login: unknown charset", () => Post("/login", "username=alice", Form + "; charset=bogus-charset"));

        // /userinfo
        yield return ("userinfo: garbage bearer", () => Get("/userinfo", "Bearer %%%"));
        yield return ("userinfo: three garbage segments", () => Get("/userinfo", "Bearer a.b.c"));
        yield return ("userinfo: alg none token", () => Get("/userinfo", "Bearer eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiJ4In0."));
        yield return ("userinfo: huge bearer", () => Get("/userinfo", "Bearer " + new string('a', 20000)));
    }

    [Fact]
    public async Task Malformed_input_is_answered_4xx_never_5xx()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new JsonObject { ["grant_types"] = new JsonArray("authorization_code", "refresh_token", "client_credentials") });
        using var http = server.CreateClient();
        var wrong = new List<string>();

        foreach (var (name, make) in BadInputs())
        {
            using var request = make();
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            // RFC 6749 §4.1.2.1: once client and redirect URI are valid, the error goes back to the client by redirect.
            var errorRedirect = status == 302 && response.Headers.Location?.OriginalString is { } location
                && location.StartsWith(ParapetTestServer.RedirectUri + "?", StringComparison.Ordinal) && Steps.QueryOf(location).ContainsKey("error");
            if (status is < 400 or >= 500 && !errorRedirect)
            {
                wrong.Add($"{name}: {status} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(wrong.Count == 0, "answered outside 4xx:\n" + string.Join('\n', wrong));
    }
}
