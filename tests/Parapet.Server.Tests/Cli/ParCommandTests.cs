using System.Net;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class ParCommandTests
{
    [Fact]
    public async Task Par_revoke_of_a_listed_request_makes_its_request_uri_unusable()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        var (_, pushed) = await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        var listed = await CliRun.AgainstAsync(server, "par", "list", "--client", "app", "--json");
        var id = listed.Json.AsArray().Single()!["id"]!.GetValue<string>();

        var result = await CliRun.AgainstAsync(server, "par", "revoke", id);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(pushed["request_uri"]!.GetValue<string>(), listed.Out);
        Assert.Equal("[]", (await CliRun.AgainstAsync(server, "par", "list", "--json")).Json.ToJsonString());
        using var browser = server.CreateBrowser();
        using var authorize = await browser.GetAsync($"/authorize?client_id=app&request_uri={Uri.EscapeDataString(pushed["request_uri"]!.GetValue<string>())}");
        Assert.Equal(HttpStatusCode.BadRequest, authorize.StatusCode);
        Assert.Contains("invalid_request_uri", await authorize.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Par_list_filters_by_client()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.CreateClientAsync("other");
        await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        await CliRun.PushAsync(server, "other", ParapetTestServer.ClientSecret);

        var result = await CliRun.AgainstAsync(server, "par", "list", "--client", "other");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Single(rows);
        Assert.Matches(@"^\S+\s+other\s+", rows[0]);
    }

    [Fact]
    public async Task Par_revoke_of_an_unknown_id_fails_with_the_servers_message()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "par", "revoke", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: No active pushed request 'nope'.", result.Error.Trim());
    }
}
