using System.Net;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class FeaturesCommandTests
{
    [Fact]
    public async Task Features_disable_par_makes_par_answer_403()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var result = await CliRun.AgainstAsync(server, "features", "disable", "par");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^par\s+false\s+true$", result.Out);
        var (status, body) = await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("access_denied", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Features_enable_par_after_disabling_it_lets_pushes_through_again()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await CliRun.AgainstAsync(server, "features", "disable", "par");

        var result = await CliRun.AgainstAsync(server, "features", "enable", "par");

        Assert.Equal(0, result.ExitCode);
        var (status, _) = await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task Features_list_json_parses_and_shows_par_enabled_and_implemented()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "features", "list", "--json");

        Assert.Equal(0, result.ExitCode);
        var par = result.Json.AsArray().Single(f => f!["flag"]!.GetValue<string>() == "par")!;
        Assert.True(par["enabled"]!.GetValue<bool>());
        Assert.True(par["implemented"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Features_disable_of_an_unknown_flag_fails_with_the_servers_message()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "features", "disable", "warp_drive");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: 'warp_drive' is not a feature flag.", result.Error.Trim());
    }
}
