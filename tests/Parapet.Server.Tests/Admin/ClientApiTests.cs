using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

public sealed class ClientApiTests
{
    private static JsonObject Metadata(string clientId) => new()
    {
        ["client_id"] = clientId,
        ["client_name"] = "Shop",
        ["redirect_uris"] = new JsonArray(ParapetTestServer.RedirectUri),
        ["client_secret"] = ParapetTestServer.ClientSecret,
        ["par_lifetime"] = 120,
        ["require_par"] = true,
    };

    [Fact]
    public async Task Clients_can_be_created_read_listed_updated_and_deleted()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var created = await admin.PostAsJsonAsync("/admin/v1/clients", Metadata("shop"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("shop", body["client_id"]!.GetValue<string>());
        Assert.Equal(120, body["par_lifetime"]!.GetValue<int>());
        Assert.True(body["require_par"]!.GetValue<bool>());
        Assert.True(body["require_pushed_authorization_requests"]!.GetValue<bool>());
        Assert.False(body.ContainsKey("client_secret"), "an operator-supplied secret is not echoed");

        using var read = await admin.GetAsync("/admin/v1/clients/shop");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("Shop", (await read.JsonAsync())["client_name"]!.GetValue<string>());

        using var list = await admin.GetAsync("/admin/v1/clients");
        var listed = await list.JsonArrayAsync();
        Assert.Contains(listed, c => c!["client_id"]!.GetValue<string>() == "shop");
        Assert.Contains(listed, c => c!["client_id"]!.GetValue<string>() == AdminCredentials.ClientIdValue);
        Assert.DoesNotContain("secret\"", listed.ToJsonString(), StringComparison.Ordinal);

        using var updated = await admin.PutAsJsonAsync("/admin/v1/clients/shop", new JsonObject { ["par_lifetime"] = 0, ["require_pushed_authorization_requests"] = false });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await updated.JsonAsync();
        Assert.Equal(0, after["par_lifetime"]!.GetValue<int>());
        Assert.False(after["require_par"]!.GetValue<bool>());
        Assert.False(after["require_pushed_authorization_requests"]!.GetValue<bool>());
        Assert.Equal("Shop", after["client_name"]!.GetValue<string>());
        using (var push = await server.PushAsync("shop"))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            Assert.Equal(600, (await push.JsonAsync())["expires_in"]!.GetValue<int>());
        }

        using var deleted = await admin.DeleteAsync("/admin/v1/clients/shop");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.GetAsync("/admin/v1/clients/shop");
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        using var again = await admin.DeleteAsync("/admin/v1/clients/shop");
        await again.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        using var pushAfterDelete = await server.PushAsync("shop");
        await pushAfterDelete.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task A_client_par_lifetime_set_by_the_admin_api_bounds_its_pushes()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        using var created = await admin.PostAsJsonAsync("/admin/v1/clients", Metadata("shop"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var push = await server.PushAsync("shop");

        Assert.Equal(120, (await push.JsonAsync())["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_client_created_without_a_secret_gets_one_shown_once()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        var metadata = Metadata("shop");
        metadata.Remove("client_secret");

        using var created = await admin.PostAsJsonAsync("/admin/v1/clients", metadata);

        var secret = (await created.JsonAsync())["client_secret"]!.GetValue<string>();
        Assert.Equal(43, secret.Length);
        using var push = await server.PushAsync("shop", secret);
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        using var read = await admin.GetAsync("/admin/v1/clients/shop");
        Assert.False((await read.JsonAsync()).ContainsKey("client_secret"));
    }

    [Fact]
    public async Task Rotating_a_secret_stops_the_old_one_and_the_new_one_works_at_the_token_endpoint()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("worker", new JsonObject { ["grant_types"] = new JsonArray("client_credentials"), ["scope"] = "profile" });
        using (var before = await server.ClientCredentialsAsync("worker", ParapetTestServer.ClientSecret))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        using var admin = await server.CreateAdminClientAsync();

        using var rotated = await admin.PostAsync("/admin/v1/clients/worker/secret", null);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var secret = (await rotated.JsonAsync())["client_secret"]!.GetValue<string>();
        Assert.NotEqual(ParapetTestServer.ClientSecret, secret);
        using var old = await server.ClientCredentialsAsync("worker", ParapetTestServer.ClientSecret);
        await old.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        using var fresh = await server.ClientCredentialsAsync("worker", secret);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.False(string.IsNullOrEmpty((await fresh.JsonAsync())["access_token"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Rotating_the_admin_secret_rewrites_the_credentials_file()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        var oldSecret = AdminCredentials.Read(server.DataDir)!.ClientSecret;

        using var rotated = await admin.PostAsync($"/admin/v1/clients/{AdminCredentials.ClientIdValue}/secret", null);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var secret = (await rotated.JsonAsync())["client_secret"]!.GetValue<string>();
        Assert.Equal(secret, AdminCredentials.Read(server.DataDir)!.ClientSecret);
        using var old = await server.ClientCredentialsAsync(AdminCredentials.ClientIdValue, oldSecret, "parapet.admin");
        await old.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
        using var again = await server.CreateAdminClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/admin/v1/config")).StatusCode);
    }

    [Theory]
    [InlineData("""{"client_id":"bad","redirect_uris":["http://client.example/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb#frag"]}""", "invalid_redirect_uri")]
    [InlineData("""{"client_id":"bad","redirect_uris":[]}""", "invalid_redirect_uri")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"par_lifetime":4}""", "invalid_client_metadata")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"par_lifetime":3601}""", "invalid_client_metadata")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"require_par":true,"require_pushed_authorization_requests":false}""", "invalid_client_metadata")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"client_secret":"too-short"}""", "invalid_client_metadata")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}""", "invalid_client_metadata")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"none","client_secret":"0123456789abcdef0123456789abcdef"}""", "invalid_client_metadata")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"scope":"openid bogus"}""", "invalid_client_metadata")]
    [InlineData("""{"client_id":"bad","redirect_uris":["https://client.example/cb"],"grant_types":["implicit"]}""", "invalid_client_metadata")]
    [InlineData("""[]""", "invalid_request")]
    public async Task Invalid_client_metadata_is_400_with_the_rfc7591_error_and_creates_nothing(string json, string error)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PostAsync("/admin/v1/clients", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, error);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        using var read = await admin.GetAsync("/admin/v1/clients/bad");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task An_invalid_update_is_400_and_leaves_the_client_as_it_was()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var admin = await server.CreateAdminClientAsync();
        using var before = await admin.GetAsync("/admin/v1/clients/app");
        var original = (await before.JsonAsync()).ToJsonString();

        using var badUri = await admin.PutAsJsonAsync("/admin/v1/clients/app", new JsonObject { ["redirect_uris"] = new JsonArray("http://evil.example/cb") });
        using var badLifetime = await admin.PutAsJsonAsync("/admin/v1/clients/app", new JsonObject { ["par_lifetime"] = 1 });
        using var renamed = await admin.PutAsJsonAsync("/admin/v1/clients/app", new JsonObject { ["client_id"] = "other" });

        await badUri.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_redirect_uri");
        await badLifetime.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        await renamed.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        using var after = await admin.GetAsync("/admin/v1/clients/app");
        Assert.Equal(original, (await after.JsonAsync()).ToJsonString());
    }

    [Fact]
    public async Task A_second_client_with_the_same_id_is_409()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        using var first = await admin.PostAsJsonAsync("/admin/v1/clients", Metadata("shop"));

        using var second = await admin.PostAsJsonAsync("/admin/v1/clients", Metadata("shop"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task The_admin_client_cannot_be_deleted()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.DeleteAsync($"/admin/v1/clients/{AdminCredentials.ClientIdValue}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/admin/v1/clients/{AdminCredentials.ClientIdValue}")).StatusCode);
    }

    [Fact]
    public async Task Unknown_clients_are_404_for_every_operation()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var put = await admin.PutAsJsonAsync("/admin/v1/clients/nobody", new JsonObject { ["client_name"] = "x" });
        using var rotate = await admin.PostAsync("/admin/v1/clients/nobody/secret", null);

        await put.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await rotate.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
