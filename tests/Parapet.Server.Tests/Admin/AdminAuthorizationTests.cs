using System.Net;
using System.Text.Json.Nodes;
using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

public sealed class AdminAuthorizationTests
{
    [Theory]
    [InlineData("/admin/v1/config")]
    [InlineData("/admin/v1/config/features")]
    [InlineData("/admin/v1/clients")]
    [InlineData("/admin/v1/users")]
    [InlineData("/admin/v1/par")]
    public async Task Without_a_token_the_admin_api_is_401_with_a_bearer_challenge(string path)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();

        using var response = await http.GetAsync(path);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_this_server_did_not_issue_is_401()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient().WithBearer("eyJhbGciOiJub25lIn0.eyJzY29wZSI6InBhcmFwZXQuYWRtaW4ifQ.");

        using var response = await http.GetAsync("/admin/v1/config");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task A_non_admin_clients_client_credentials_token_is_403()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("worker", new JsonObject { ["grant_types"] = new JsonArray("client_credentials"), ["scope"] = "profile email" });
        using var tokenResponse = await server.ClientCredentialsAsync("worker", ParapetTestServer.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = (await tokenResponse.JsonAsync())["access_token"]!.GetValue<string>();
        using var http = server.CreateClient().WithBearer(token);

        using var config = await http.GetAsync("/admin/v1/config");
        using var patch = await http.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"/requirePar","value":true}]""");
        using var clients = await http.GetAsync("/admin/v1/clients");

        var body = await config.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal("The access token lacks the 'parapet.admin' scope.", body["detail"]!.GetValue<string>());
        await patch.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await clients.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        using var admin = await server.CreateAdminClientAsync();
        Assert.False((await admin.ConfigAsync())["requirePar"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_non_admin_client_cannot_obtain_the_admin_scope()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("worker", new JsonObject { ["grant_types"] = new JsonArray("client_credentials"), ["scope"] = "profile" });

        using var response = await server.ClientCredentialsAsync("worker", ParapetTestServer.ClientSecret, scope: "parapet.admin");

        await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Theory]
    [InlineData("/admin/v1/config")]
    [InlineData("/admin/v1/config/features")]
    [InlineData("/admin/v1/clients")]
    [InlineData("/admin/v1/users")]
    [InlineData("/admin/v1/par")]
    public async Task An_admin_token_opens_every_area(string path)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_admin_credentials_file_is_readable_by_the_owner_only_and_records_the_server()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var path = AdminCredentials.PathIn(server.DataDir);

        var mode = File.GetUnixFileMode(path);
        var credentials = AdminCredentials.Read(server.DataDir)!;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(ParapetTestServer.Issuer, credentials.Server);
        Assert.Equal(AdminCredentials.ClientIdValue, credentials.ClientId);
        Assert.True(credentials.ClientSecret.Length >= 43);
    }
}
