using System.Text.Json.Nodes;
using Parapet.Cli;
using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class ConnectionTests
{
    [Fact]
    public async Task A_data_directory_without_credentials_fails_with_a_hint_and_no_stack_trace()
    {
        var result = await CliRun.RunAsync(null, ["config", "get", "--data-dir", Path.Combine(Path.GetTempPath(), "parapet-tests", "missing")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No admin-credentials.json in", result.Error);
        Assert.Contains("--server", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task An_expired_admin_token_is_renewed_once_and_the_request_goes_through()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var credentials = AdminCredentials.Read(server.DataDir)!;
        using var http = server.CreateClient();
        var admin = await AdminClient.ConnectAsync(http, new Connection(ParapetTestServer.Issuer, credentials.ClientId, credentials.ClientSecret), CancellationToken.None);

        // accessTokenLifetime is 300 s: the TUI outlives its first token.
        server.Time.Advance(TimeSpan.FromMinutes(10));
        var patched = await admin.SendJsonAsync(HttpMethod.Patch, "/config",
            JsonNode.Parse("""[{"op":"replace","path":"/requirePar","value":true}]""")!, CancellationToken.None, "application/json-patch+json");

        Assert.True(patched.Body!["requirePar"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Server_and_client_options_override_the_data_directory()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var credentials = AdminCredentials.Read(server.DataDir)!;

        var result = await CliRun.RunAsync(server,
        [
            "config", "get", "requirePar", "--data-dir", "/nonexistent",
            "--server", ParapetTestServer.Issuer, "--client-id", credentials.ClientId, "--client-secret", credentials.ClientSecret,
        ]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("false", result.Out.Trim());
    }

    [Fact]
    public async Task Environment_variables_supply_the_connection()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var credentials = AdminCredentials.Read(server.DataDir)!;
        var variables = new Dictionary<string, string>
        {
            ["PARAPET_SERVER"] = ParapetTestServer.Issuer,
            ["PARAPET_CLIENT_ID"] = credentials.ClientId,
            ["PARAPET_CLIENT_SECRET"] = credentials.ClientSecret,
            ["PARAPET_DATA_DIR"] = "/nonexistent",
        };

        var result = await CliRun.RunAsync(server, ["features", "disable", "registration"], variables: variables);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("false", (await CliRun.AgainstAsync(server, "features", "list", "--json")).Json.AsArray()
            .Single(f => f!["flag"]!.GetValue<string>() == "registration")!["enabled"]!.ToJsonString());
    }

    [Fact]
    public async Task A_wrong_admin_secret_fails_with_the_token_endpoints_description()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "get", "--admin-client-secret", "wrong-wrong-wrong-wrong-wrong-wrong");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: The server refused the admin credentials: ", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task A_client_without_the_admin_scope_cannot_get_an_admin_token()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("worker", new() { ["grant_types"] = new JsonArray("client_credentials"), ["redirect_uris"] = new JsonArray() });

        var result = await CliRun.AgainstAsync(server, "clients", "list", "--client-id", "worker", "--client-secret", ParapetTestServer.ClientSecret);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: The server refused the admin credentials: The scope 'parapet.admin' is unknown or not allowed for this client.", result.Error.Trim());
    }
}
