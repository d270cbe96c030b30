using System.Net;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class ClientsCommandTests
{
    private static readonly string[] AddApp =
        ["clients", "add", "--client-id", "app", "--name", "My app", "--redirect-uri", ParapetTestServer.RedirectUri];

    [Fact]
    public async Task Clients_add_with_par_lifetime_120_makes_a_push_return_expires_in_120()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, [.. AddApp, "--par-lifetime", "120"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Added client 'app'.", result.Out);
        var (status, body) = await CliRun.PushAsync(server, "app", result.PrintedSecret);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(120, body["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Clients_add_json_carries_the_issued_secret_which_show_never_prints_again()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var added = await CliRun.AgainstAsync(server, [.. AddApp, "--require-par", "--json"]);
        var shown = await CliRun.AgainstAsync(server, "clients", "show", "app", "--json");
        var table = await CliRun.AgainstAsync(server, "clients", "show", "app");

        Assert.Equal(0, added.ExitCode);
        var secret = added.Json["client_secret"]!.GetValue<string>();
        Assert.True(added.Json["require_par"]!.GetValue<bool>());
        Assert.Null(shown.Json["client_secret"]);
        Assert.True(shown.Json["require_pushed_authorization_requests"]!.GetValue<bool>());
        Assert.DoesNotContain(secret, table.Out);
        Assert.Matches(@"(?m)^client_name\s+My app$", table.Out);
    }

    [Fact]
    public async Task Clients_add_with_a_given_secret_uses_it_and_prints_no_secret()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, [.. AddApp, "--client-secret", ParapetTestServer.ClientSecret]);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("client_secret:", result.Out);
        var (status, _) = await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task Clients_add_with_an_unacceptable_redirect_uri_fails_with_the_servers_message()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "clients", "add", "--client-id", "app", "--redirect-uri", "http://app.example/cb");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The redirect URI 'http://app.example/cb' is not acceptable", result.Error);
        Assert.Equal(1, (await CliRun.AgainstAsync(server, "clients", "show", "app")).ExitCode);
    }

    [Fact]
    public async Task Clients_fapi_sets_fapi_compatibility_which_a_client_secret_client_cannot_have()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("signer", new System.Text.Json.Nodes.JsonObject
        {
            ["token_endpoint_auth_method"] = "private_key_jwt",
            ["jwks"] = JwtAuth.ClientKey.Set(JwtAuth.ClientKey.Ec("k1")),
        });

        var refused = await CliRun.AgainstAsync(server, [.. AddApp, "--fapi"]);
        var updated = await CliRun.AgainstAsync(server, "clients", "update", "signer", "--fapi");
        var shown = await CliRun.AgainstAsync(server, "clients", "show", "signer", "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("FAPI 2.0 requires token_endpoint_auth_method private_key_jwt", refused.Error);
        Assert.Equal(0, updated.ExitCode);
        Assert.True(shown.Json["fapi_compatibility"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Clients_update_par_lifetime_changes_only_that_and_the_next_push_uses_it()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new() { ["client_name"] = "Kept" });

        var result = await CliRun.AgainstAsync(server, "clients", "update", "app", "--par-lifetime", "30", "--require-par", "true");

        Assert.Equal(0, result.ExitCode);
        var (_, body) = await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        Assert.Equal(30, body["expires_in"]!.GetValue<int>());
        var shown = (await CliRun.AgainstAsync(server, "clients", "show", "app", "--json")).Json;
        Assert.Equal("Kept", shown["client_name"]!.GetValue<string>());
        Assert.True(shown["require_par"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Clients_update_with_no_options_changes_nothing_and_says_so()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var result = await CliRun.AgainstAsync(server, "clients", "update", "app");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Nothing to change", result.Error);
    }

    [Fact]
    public async Task Clients_rotate_secret_prints_a_secret_that_works_and_the_old_one_stops_working()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var result = await CliRun.AgainstAsync(server, "clients", "rotate-secret", "app");

        Assert.Equal(0, result.ExitCode);
        var (oldStatus, oldBody) = await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, oldStatus);
        Assert.Equal("invalid_client", oldBody["error"]!.GetValue<string>());
        var (newStatus, _) = await CliRun.PushAsync(server, "app", result.PrintedSecret);
        Assert.Equal(HttpStatusCode.Created, newStatus);
    }

    [Fact]
    public async Task Clients_delete_removes_the_client_and_show_then_fails()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var deleted = await CliRun.AgainstAsync(server, "clients", "delete", "app");
        var shown = await CliRun.AgainstAsync(server, "clients", "show", "app");

        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(1, shown.ExitCode);
        Assert.Equal("error: No client 'app'.", shown.Error.Trim());
    }

    [Fact]
    public async Task Clients_delete_of_the_admin_client_is_refused()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "clients", "delete", "parapet-admin");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The admin client cannot be deleted.", result.Error);
        Assert.Equal(0, (await CliRun.AgainstAsync(server, "clients", "list")).ExitCode);
    }

    [Fact]
    public async Task Clients_list_shows_each_client_in_aligned_columns()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new() { ["par_lifetime"] = 45 });

        var result = await CliRun.AgainstAsync(server, "clients", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var parColumn = lines[0].IndexOf("PAR_LIFETIME", StringComparison.Ordinal);
        var app = lines.Single(l => l.StartsWith("app ", StringComparison.Ordinal));
        Assert.StartsWith("45 ", app[parColumn..]);
        Assert.Contains(lines, l => l.StartsWith("parapet-admin ", StringComparison.Ordinal));
    }
}
