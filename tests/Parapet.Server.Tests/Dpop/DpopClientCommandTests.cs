using Parapet.Server.Tests.Cli;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Dpop;

/// <summary>The CLI sets RFC 9449 §5.2 <c>dpop_bound_access_tokens</c> like any other client switch.</summary>
public sealed class DpopClientCommandTests
{
    [Fact]
    public async Task Clients_update_dpop_bound_access_tokens_turns_it_on_and_off()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var on = await CliRun.AgainstAsync(server, "clients", "update", "app", "--dpop-bound-access-tokens");
        var shownOn = (await CliRun.AgainstAsync(server, "clients", "show", "app", "--json")).Json;
        var off = await CliRun.AgainstAsync(server, "clients", "update", "app", "--dpop-bound-access-tokens", "false");
        var shownOff = (await CliRun.AgainstAsync(server, "clients", "show", "app", "--json")).Json;

        Assert.Equal(0, on.ExitCode);
        Assert.True(shownOn["dpop_bound_access_tokens"]!.GetValue<bool>());
        Assert.Equal(0, off.ExitCode);
        Assert.False(shownOff["dpop_bound_access_tokens"]!.GetValue<bool>());
    }
}
