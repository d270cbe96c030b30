using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>DESIGN §7 and §2.8: no secret, password, code, token or request-URI reference in any log line.</summary>
public sealed class LogHygieneTests
{
    [Fact]
    public async Task Secrets_codes_tokens_request_uri_references_and_passwords_never_reach_the_logs()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.CreateClientAsync("spa", new JsonObject { ["token_endpoint_auth_method"] = "none" });
        await server.CreateUserAsync(Steps.Username);
        const string wrongSecret = "wrong-secret-wrong-secret-wrong-secret";
        const string wrongPassword = "wrong-password-wrong-password";
        var secrets = new List<string> { ParapetTestServer.ClientSecret, ParapetTestServer.UserPassword, wrongSecret, wrongPassword, Pkce.Verifier };
        secrets.Add(AdminCredentials.Read(server.DataDir)!.ClientSecret);

        // A failed push, a failed token request and a failed sign-in, each with a secret that must not be echoed.
        using (var failedPush = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("app", wrongSecret)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, failedPush.StatusCode);
        }
        using (var failedToken = await server.PostTokenAsync("app", ("grant_type", "authorization_code"), ("code", wrongSecret), ("client_secret", wrongSecret)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, failedToken.StatusCode);
        }
        var requestUri = await server.PushAsync("app");
        secrets.Add(requestUri["urn:ietf:params:oauth:request_uri:".Length..]);
        using var browser = server.CreateBrowser();
        using (var authorize = await browser.AuthorizeAsync("app", requestUri))
        using (var failedLogin = await browser.SignInAsync(Steps.LocationOf(authorize), password: wrongPassword))
        {
            Assert.Equal(HttpStatusCode.BadRequest, failedLogin.StatusCode);
        }
        using (var intruder = server.CreateBrowser())
        using (var refused = await intruder.AuthorizeAsync("app", requestUri))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        // The whole flow, a replayed code and a reused refresh token.
        var query = await browser.AuthorizeToRedirectAsync("app", requestUri);
        var code = query["code"].ToString();
        secrets.Add(code);
        using var redeemed = await server.RedeemAsync("app", code);
        var tokens = await redeemed.Content.ReadFromJsonAsync<JsonObject>();
        var refreshToken = tokens!["refresh_token"]!.GetValue<string>();
        secrets.AddRange([tokens["access_token"]!.GetValue<string>(), tokens["id_token"]!.GetValue<string>(), refreshToken]);
        using (var rotated = await server.RefreshAsync("app", refreshToken))
        {
            var next = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!;
            secrets.AddRange([next["access_token"]!.GetValue<string>(), next["refresh_token"]!.GetValue<string>()]);
        }
        using (var reused = await server.RefreshAsync("app", refreshToken))
        using (var replayed = await server.RedeemAsync("app", code))
        {
            Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        }
        var plainRequestUri = await PlainRequestUriAsync(browser);
        secrets.Add(plainRequestUri["urn:ietf:params:oauth:request_uri:".Length..]);
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/defaultParLifetime","value":300}]""");

        var records = server.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var text = string.Join("\n", [record.Message, record.Exception?.ToString() ?? "", .. (record.StructuredState ?? []).Select(p => p.Key + "=" + p.Value)]);
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret appears in a {record.Level} log line of {record.Category}: {record.Message}");
                Assert.False(text.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal), $"an escaped secret appears in a log line of {record.Category}");
            }
        }
    }

    private static async Task<string> PlainRequestUriAsync(HttpClient browser)
    {
        var parameters = Steps.PushParameters(("client_id", "spa"));
        using var parked = await browser.GetAsync("/authorize?" + string.Join('&', parameters.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));
        return Steps.QueryOf(Steps.LocationOf(parked))["request_uri"].ToString();
    }
}
