using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class KeysCommandTests
{
    [Fact]
    public async Task Keys_list_shows_the_current_and_next_key_of_each_algorithm()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "keys", "list");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("KID", lines[0]);
        Assert.Equal(4, lines.Length - 1);
        Assert.Equal(2, lines.Count(l => l.Contains(" current ", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.Contains(" next ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Keys_rotate_promotes_the_next_key_and_keeps_the_old_one_as_previous()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var before = (await CliRun.AgainstAsync(server, "keys", "list", "--json")).Json.AsArray();
        string KidOf(System.Text.Json.Nodes.JsonArray keys, string status) =>
            keys.Single(k => k!["alg"]!.GetValue<string>() == "RS256" && k["status"]!.GetValue<string>() == status)!["kid"]!.GetValue<string>();

        var result = await CliRun.AgainstAsync(server, "keys", "rotate");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Signing keys rotated.", result.Out);
        var after = (await CliRun.AgainstAsync(server, "keys", "list", "--json")).Json.AsArray();
        Assert.Equal(KidOf(before, "next"), KidOf(after, "current"));
        Assert.Equal(KidOf(before, "current"), KidOf(after, "previous"));
        Assert.DoesNotContain(KidOf(after, "next"), before.ToJsonString());
        Assert.DoesNotContain("\"d\"", after.ToJsonString());
    }

    [Fact]
    public async Task Keys_rotate_without_a_server_fails_with_a_message()
    {
        var result = await CliRun.RunAsync(null, ["keys", "rotate", "--data-dir", Path.Combine(Path.GetTempPath(), "parapet-none-" + Guid.NewGuid().ToString("N"))]);

        Assert.Equal(1, result.ExitCode);
        Assert.NotEqual("", result.Error.Trim());
    }
}
