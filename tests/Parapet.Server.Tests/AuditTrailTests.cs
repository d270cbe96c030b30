using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests;

public sealed class AuditTrailTests
{
    private static async Task<JsonArray> AuditAsync(HttpClient admin, string query = "")
    {
        using var response = await admin.GetAsync("/admin/v1/audit" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    [Fact]
    public async Task A_property_change_is_recorded_with_who_what_before_and_after()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"requirePar","value":true}]""");
        using var admin = await server.CreateAdminClientAsync();

        var entry = Assert.Single(await AuditAsync(admin, "?target=requirePar"))!.AsObject();

        Assert.Equal("parapet-admin", entry["actor"]!.GetValue<string>());
        Assert.Equal("property.change", entry["action"]!.GetValue<string>());
        Assert.Equal("false", entry["before"]!.GetValue<string>());
        Assert.Equal("true", entry["after"]!.GetValue<string>());
    }

    [Fact]
    public async Task Client_and_user_changes_are_recorded_with_secrets_masked()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("shop");
        await server.CreateUserAsync("alice");
        using var admin = await server.CreateAdminClientAsync();
        using var rotated = await admin.PostAsync("/admin/v1/clients/shop/secret", null);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!["client_secret"]!.GetValue<string>();
        using var password = await admin.PutAsJsonAsync("/admin/v1/users/alice/password", new { password = "another-long-password" });
        Assert.Equal(HttpStatusCode.NoContent, password.StatusCode);

        var trail = (await AuditAsync(admin)).ToJsonString();

        Assert.Contains("\"client.create\"", trail, StringComparison.Ordinal);
        Assert.Contains("\"client.rotate-secret\"", trail, StringComparison.Ordinal);
        Assert.Contains("\"user.create\"", trail, StringComparison.Ordinal);
        Assert.Contains("\"user.set-password\"", trail, StringComparison.Ordinal);
        Assert.DoesNotContain(ParapetTestServer.ClientSecret, trail, StringComparison.Ordinal);
        Assert.DoesNotContain(newSecret, trail, StringComparison.Ordinal);
        Assert.DoesNotContain("another-long-password", trail, StringComparison.Ordinal);
        Assert.DoesNotContain(ParapetTestServer.UserPassword, trail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dynamic_registration_is_recorded_as_the_registration_actor()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/dynamicRegistrationEnabled","value":true}]""");
        using var http = server.CreateClient();
        using var registered = await http.PostAsJsonAsync("/register", new { redirect_uris = new[] { "https://rp.example/cb" } });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var clientId = (await registered.Content.ReadFromJsonAsync<JsonObject>())!["client_id"]!.GetValue<string>();
        using var admin = await server.CreateAdminClientAsync();

        var entry = Assert.Single(await AuditAsync(admin, "?actor=registration"))!.AsObject();

        Assert.Equal(clientId, entry["target"]!.GetValue<string>());
        Assert.Contains("***", entry["after"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
