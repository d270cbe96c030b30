using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>DESIGN §2.4: client_secret_jwt (OIDC Core §9) at /par and /token, HS256 keyed by a secret stored recoverable.</summary>
public sealed class ClientSecretJwtTests
{
    private const string ClientId = "hmac";
    private const string Secret = ParapetTestServer.ClientSecret;

    private static async Task<ParapetTestServer> ServerAsync()
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync(ClientId, new JsonObject
        {
            ["token_endpoint_auth_method"] = "client_secret_jwt",
            ["grant_types"] = new JsonArray("authorization_code", "client_credentials"),
        });
        return server;
    }

    private static string Assertion(ParapetTestServer server, string secret = Secret, string alg = "HS256", params (string, JsonNode?)[] overrides) =>
        Jwts.SignWithSecret(Jwts.AssertionClaims(ClientId, server.Time.GetUtcNow(), overrides), secret, alg);

    private static Task<HttpResponseMessage> PushAsync(ParapetTestServer server, string assertion) =>
        server.PostParAsync(Steps.PushParameters(Jwts.AssertionForm(assertion)), null);

    private static async Task<HttpResponseMessage> ClientCredentialsAsync(ParapetTestServer server, string assertion)
    {
        using var http = server.CreateClient();
        return await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = Jwts.JwtBearer,
            ["client_assertion"] = assertion,
        }));
    }

    private static async Task AssertAuthenticationFailedAsync(ParapetTestServer server, HttpResponseMessage response, string logDetail)
    {
        var expected = OAuthErrors.ClientAuthenticationFailed(basicTried: false);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        Assert.Contains(server.Logs.GetSnapshot(), r => r.Message.Contains(logDetail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Push_with_a_valid_client_secret_jwt_is_201()
    {
        await using var server = await ServerAsync();

        using var response = await PushAsync(server, Assertion(server));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Token_request_with_a_valid_client_secret_jwt_issues_tokens()
    {
        await using var server = await ServerAsync();

        using var response = await ClientCredentialsAsync(server, Assertion(server, overrides: ("aud", "http://localhost/token")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string> BadAssertions() => new()
    {
        { "wrong secret", "bad signature" },
        { "HS512", "alg HS512 not accepted" },
        { "wrong aud", "aud names neither" },
        { "expired", "expired" },
        { "iat in the future", "iat in the future" },
    };

    private static string BadAssertion(ParapetTestServer server, string because)
    {
        var now = server.Time.GetUtcNow();
        return because switch
        {
            "wrong secret" => Assertion(server, secret: new string('x', 40)),
            "HS512" => Assertion(server, secret: Secret + Secret, alg: "HS512"),
            "wrong aud" => Assertion(server, overrides: ("aud", "https://elsewhere.example")),
            "expired" => Assertion(server, overrides: ("exp", now.AddSeconds(-5).ToUnixTimeSeconds())),
            "iat in the future" => Assertion(server, overrides: ("iat", now.AddMinutes(2).ToUnixTimeSeconds())),
            _ => throw new ArgumentOutOfRangeException(nameof(because)),
        };
    }

    [Theory]
    [MemberData(nameof(BadAssertions))]
    public async Task Push_with_a_bad_client_secret_jwt_is_401_invalid_client(string because, string logDetail)
    {
        await using var server = await ServerAsync();

        using var response = await PushAsync(server, BadAssertion(server, because));

        await AssertAuthenticationFailedAsync(server, response, logDetail);
    }

    [Theory]
    [MemberData(nameof(BadAssertions))]
    public async Task Token_request_with_a_bad_client_secret_jwt_is_401_invalid_client(string because, string logDetail)
    {
        await using var server = await ServerAsync();

        using var response = await ClientCredentialsAsync(server, BadAssertion(server, because));

        await AssertAuthenticationFailedAsync(server, response, logDetail);
    }

    [Fact]
    public async Task A_replayed_client_secret_jwt_is_refused()
    {
        await using var server = await ServerAsync();
        var assertion = Assertion(server);

        using var first = await ClientCredentialsAsync(server, assertion);
        using var again = await PushAsync(server, assertion);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertAuthenticationFailedAsync(server, again, "jti already used");
    }

    [Fact]
    public async Task The_secret_still_works_over_basic_only_for_its_registered_method()
    {
        await using var server = await ServerAsync();

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic(ClientId, Secret));

        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, OAuthErrors.InvalidClient, OAuthErrors.ClientAuthenticationFailed(true).Description);
    }

    [Fact]
    public async Task A_rotated_secret_keys_the_assertions_from_then_on()
    {
        await using var server = await ServerAsync();
        using var admin = await server.CreateAdminClientAsync();
        using var rotated = await admin.PostAsync($"/admin/v1/clients/{ClientId}/secret", null);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!["client_secret"]!.GetValue<string>();

        using var withNew = await PushAsync(server, Assertion(server, secret: newSecret));
        using var withOld = await PushAsync(server, Assertion(server));

        Assert.Equal(HttpStatusCode.Created, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
    }

    [Fact]
    public async Task The_stored_client_row_holds_the_secret_only_encrypted()
    {
        await using var server = await ServerAsync();

        await using var db = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "parapet.db")};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT \"Data\" FROM clients WHERE \"ClientId\" = $id";
        command.Parameters.AddWithValue("$id", ClientId);
        var data = (string)(await command.ExecuteScalarAsync())!;

        Assert.DoesNotContain(Secret, data, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(data)!["ProtectedSecret"]);
    }
}
