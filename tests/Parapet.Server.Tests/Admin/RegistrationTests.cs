using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

/// <summary><c>POST /register</c> (RFC 7591), opened and closed through the admin API.</summary>
public sealed class RegistrationTests
{
    private static Task<HttpResponseMessage> RegisterAsync(ParapetTestServer server, string json)
    {
        var http = server.CreateClient();
        return http.PostAsync("/register", new StringContent(json, Encoding.UTF8, "application/json"));
    }

    private const string Valid = """{"redirect_uris":["https://rp.example/cb"],"client_name":"RP","par_lifetime":120,"require_par":true}""";

    private static async Task EnableAsync(ParapetTestServer server) =>
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"dynamicRegistrationEnabled","value":true}]""");

    [Fact]
    public async Task Registration_is_403_while_dynamic_registration_is_disabled_by_default()
    {
        await using var server = await ParapetTestServer.StartAsync();

        using var response = await RegisterAsync(server, Valid);

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
        Assert.Equal("Dynamic client registration is disabled on this server.", body["error_description"]!.GetValue<string>());
        using var admin = await server.CreateAdminClientAsync();
        Assert.Single(await (await admin.GetAsync("/admin/v1/clients")).JsonArrayAsync());
    }

    [Fact]
    public async Task Registration_is_403_when_the_registration_flag_is_off_even_with_dynamic_registration_enabled()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await EnableAsync(server);
        using var admin = await server.CreateAdminClientAsync();
        using var off = await admin.DeleteAsync("/admin/v1/config/features/registration");
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);

        using var response = await RegisterAsync(server, Valid);

        await response.AssertOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
        Assert.False((await server.DiscoveryAsync()).ContainsKey("registration_endpoint"));
    }

    [Fact]
    public async Task When_enabled_a_client_is_registered_with_server_assigned_credentials_and_par_metadata()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await EnableAsync(server);

        using var response = await RegisterAsync(server, """{"client_id":"chosen","client_secret":"0123456789abcdef0123456789abcdef","redirect_uris":["https://rp.example/cb"],"par_lifetime":120,"require_par":true}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var body = await response.JsonAsync();
        var clientId = body["client_id"]!.GetValue<string>();
        var secret = body["client_secret"]!.GetValue<string>();
        Assert.NotEqual("chosen", clientId);
        Assert.NotEqual("0123456789abcdef0123456789abcdef", secret);
        Assert.Equal(43, secret.Length);
        Assert.Equal(120, body["par_lifetime"]!.GetValue<int>());
        Assert.True(body["require_par"]!.GetValue<bool>());
        Assert.True(body["require_pushed_authorization_requests"]!.GetValue<bool>());
        Assert.Equal(0, body["client_secret_expires_at"]!.GetValue<int>());
        Assert.Equal(ParapetTestServer.Issuer + "/register", (await server.DiscoveryAsync())["registration_endpoint"]!.GetValue<string>());

        using var push = await server.PushAsync(clientId, secret, "https://rp.example/cb");

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(120, (await push.JsonAsync())["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Require_pushed_authorization_requests_alone_registers_require_par()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await EnableAsync(server);

        using var response = await RegisterAsync(server, """{"redirect_uris":["https://rp.example/cb"],"require_pushed_authorization_requests":true}""");

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(body["require_par"]!.GetValue<bool>());
        Assert.True(body["require_pushed_authorization_requests"]!.GetValue<bool>());
        Assert.Equal(0, body["par_lifetime"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"redirect_uris":["http://rp.example/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://rp.example/cb#x"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":[]}""", "invalid_redirect_uri")]
    [InlineData("""{}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://rp.example/cb"],"scope":"openid parapet.admin"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://rp.example/cb"],"scope":"parapet.admin","grant_types":["client_credentials"],"response_types":[]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://rp.example/cb"],"par_lifetime":3601}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://rp.example/cb"],"require_par":true,"require_pushed_authorization_requests":false}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://rp.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://rp.example/cb"],"response_types":["token"]}""", "invalid_client_metadata")]
    [InlineData("""not json""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":"https://rp.example/cb"}""", "invalid_client_metadata")]
    public async Task Invalid_metadata_is_400_with_the_rfc7591_error_and_registers_nothing(string json, string error)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await EnableAsync(server);

        using var response = await RegisterAsync(server, json);

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, error);
        Assert.False(string.IsNullOrWhiteSpace(body["error_description"]?.GetValue<string>()));
        using var admin = await server.CreateAdminClientAsync();
        Assert.Single(await (await admin.GetAsync("/admin/v1/clients")).JsonArrayAsync());
    }

    [Fact]
    public async Task A_registered_public_client_gets_no_secret_and_can_push_with_its_id()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await EnableAsync(server);

        using var response = await RegisterAsync(server, """{"redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"none","application_type":"native"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.False(body.ContainsKey("client_secret"));
        using var http = server.CreateClient();
        using var push = await http.PostAsync("/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = body["client_id"]!.GetValue<string>(),
            ["response_type"] = "code",
            ["redirect_uri"] = "http://127.0.0.1:49152/cb",
            ["scope"] = "openid",
            ["code_challenge"] = Pkce.Challenge,
            ["code_challenge_method"] = "S256",
        }));
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
    }

    [Fact]
    public async Task Disabling_dynamic_registration_closes_the_endpoint_at_once()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await EnableAsync(server);
        using (var open = await RegisterAsync(server, Valid))
        {
            Assert.Equal(HttpStatusCode.Created, open.StatusCode);
        }

        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/dynamicRegistrationEnabled","value":false}]""");
        using var closed = await RegisterAsync(server, Valid);

        await closed.AssertOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
        Assert.False((await server.DiscoveryAsync()).ContainsKey("registration_endpoint"));
    }
}
