using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Registration;

/// <summary>RFC 7591 §3 initial access tokens: made through the admin API, required at <c>/register</c> by <c>registrationRequireInitialAccessToken</c>.</summary>
public sealed class InitialAccessTokenTests
{
    private const string Required = """{"op":"replace","path":"registrationRequireInitialAccessToken","value":true}""";

    private static async Task<JsonObject> CreateTokenAsync(ParapetTestServer server, object? body = null)
    {
        using var admin = await server.CreateAdminClientAsync();
        using var response = body is null ? await admin.PostAsync("/admin/v1/registration-tokens", null) : await admin.PostAsJsonAsync("/admin/v1/registration-tokens", body);
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        return json;
    }

    private static async Task<int> ClientCountAsync(ParapetTestServer server)
    {
        using var admin = await server.CreateAdminClientAsync();
        return (await (await admin.GetAsync("/admin/v1/clients")).JsonArrayAsync()).Count;
    }

    [Fact]
    public async Task Registration_stays_open_without_a_token_by_default()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync();

        using var response = await server.RegisterAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task When_required_registration_without_a_token_is_401_invalid_token_with_a_bearer_challenge()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync(Required);

        using var response = await server.RegisterAsync();

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal("This server requires an initial access token to register clients (Authorization: Bearer).", body.Text("error_description"));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(1, await ClientCountAsync(server));
    }

    [Fact]
    public async Task When_required_a_valid_token_registers_and_the_audit_names_the_token()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync(Required);
        var token = await CreateTokenAsync(server);

        var registered = await server.RegisteredAsync(bearer: token.Text("token"));

        var entry = Assert.Single(await server.AuditAsync("?action=client.register"))!;
        Assert.Equal("registration:" + token.Text("id"), entry["actor"]!.GetValue<string>());
        Assert.Equal(registered.Text("client_id"), entry["target"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("revoked")]
    [InlineData("expired")]
    [InlineData("used-up")]
    [InlineData("admin-access-token")]
    public async Task When_required_an_unusable_token_is_401_invalid_token(string kind)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync(Required);
        var created = await CreateTokenAsync(server, new { expires_in = 60, max_uses = 1 });
        var token = created.Text("token");
        using var admin = await server.CreateAdminClientAsync();
        switch (kind)
        {
            case "wrong":
                token = "wrong";
                break;
            case "revoked":
                Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/admin/v1/registration-tokens/" + created.Text("id"))).StatusCode);
                break;
            case "expired":
                server.Time.Advance(TimeSpan.FromSeconds(61));
                break;
            case "used-up":
                await server.RegisteredAsync(bearer: token);
                break;
            case "admin-access-token":
                token = admin.DefaultRequestHeaders.Authorization!.Parameter!;
                break;
        }
        var before = await ClientCountAsync(server);

        using var response = await server.RegisterAsync(bearer: token);

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal("The initial access token is invalid, expired or used up.", body.Text("error_description"));
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(before, await ClientCountAsync(server));
    }

    [Fact]
    public async Task A_rejected_body_does_not_spend_a_use()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync(Required);
        var token = (await CreateTokenAsync(server, new { max_uses = 1 })).Text("token");

        using (var bad = await server.RegisterAsync("""{"redirect_uris":["http://rp.example/cb"]}""", token))
        {
            await bad.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_redirect_uri");
        }
        using var good = await server.RegisterAsync(bearer: token);

        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
    }

    [Fact]
    public async Task Parallel_registrations_never_exceed_max_uses()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync(Required);
        var token = (await CreateTokenAsync(server, new { max_uses = 3 })).Text("token");

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => server.RegisterAsync(bearer: token)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(4, await ClientCountAsync(server));
        using var admin = await server.CreateAdminClientAsync();
        Assert.Equal(3, (await (await admin.GetAsync("/admin/v1/registration-tokens")).JsonArrayAsync()).Single()!["uses"]!.GetValue<int>());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task The_admin_api_shows_a_token_once_lists_it_without_its_value_and_stores_only_its_hash()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var created = await CreateTokenAsync(server, new { expires_in = 3600, max_uses = 5 });

        var token = created.Text("token");
        Assert.Equal(43, token.Length);
        Assert.Equal(server.Time.GetUtcNow().AddSeconds(3600).ToUnixTimeSeconds(), created["expires_at"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.Equal(5, created["max_uses"]!.GetValue<int>());
        using var admin = await server.CreateAdminClientAsync();
        using var list = await admin.GetAsync("/admin/v1/registration-tokens");
        var text = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        var listed = Assert.Single(JsonNode.Parse(text)!.AsArray())!;
        Assert.Equal(created.Text("id"), listed["id"]!.GetValue<string>());
        Assert.Equal(0, listed["uses"]!.GetValue<int>());
        Assert.False(listed.AsObject().ContainsKey("token"));
        var hashes = await server.ColumnAsync("registration_tokens", "Hash");
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal([hash], hashes);
        Assert.DoesNotContain(await server.AuditAsync("?action=registration-token.create"), e => e!.ToJsonString().Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_without_limits_never_expires_and_allows_any_number_of_registrations()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync(Required);
        var created = await CreateTokenAsync(server);
        server.Time.Advance(TimeSpan.FromDays(400));

        for (var i = 0; i < 3; i++)
        {
            await server.RegisteredAsync(bearer: created.Text("token"));
        }

        Assert.Null(created["expires_at"]);
        Assert.Null(created["max_uses"]);
    }

    [Theory]
    [InlineData("""{"expires_in":0}""", "expires_in must be between 1 and 31536000 seconds (absent: the token does not expire).")]
    [InlineData("""{"expires_in":31536001}""", "expires_in must be between 1 and 31536000 seconds (absent: the token does not expire).")]
    [InlineData("""{"max_uses":0}""", "max_uses must be between 1 and 1000000 (absent: any number of registrations).")]
    [InlineData("""{"max_uses":"3"}""", "The body must be a JSON object with optional integers 'expires_in' and 'max_uses'.")]
    [InlineData("""[1]""", "The body must be a JSON object with optional integers 'expires_in' and 'max_uses'.")]
    public async Task Bad_limits_are_refused_by_the_admin_api(string json, string detail)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PostAsync("/admin/v1/registration-tokens", new StringContent(json, Encoding.UTF8, "application/json"));

        var body = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(detail, body.Text("detail"));
        Assert.Empty(await (await admin.GetAsync("/admin/v1/registration-tokens")).JsonArrayAsync());
    }

    [Fact]
    public async Task Revoking_an_unknown_token_is_404_and_a_revocation_is_audited()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var created = await CreateTokenAsync(server);
        using var admin = await server.CreateAdminClientAsync();

        using var unknown = await admin.DeleteAsync("/admin/v1/registration-tokens/nope");
        using var revoked = await admin.DeleteAsync("/admin/v1/registration-tokens/" + created.Text("id"));

        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Single(await server.AuditAsync("?action=registration-token.revoke&target=" + created.Text("id")));
    }

    [Fact]
    public async Task The_registration_tokens_api_needs_an_admin_token()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();

        using var response = await http.PostAsync("/admin/v1/registration-tokens", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
