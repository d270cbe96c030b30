using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class ProfilesAndCompletionTests
{
    [Fact]
    public async Task A_named_profile_reaches_the_server_without_a_data_directory()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var credentials = AdminCredentials.Read(server.DataDir)!;
        var profilesFile = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "profiles.json");
        var variables = new Dictionary<string, string> { ["PARAPET_PROFILES"] = profilesFile };

        var added = await CliRun.RunAsync(server, ["profiles", "add", "test", "--server", credentials.Server, "--admin-client-id", credentials.ClientId, "--admin-client-secret", "-"],
            stdin: credentials.ClientSecret + "\n", variables: variables);
        var listed = await CliRun.RunAsync(server, ["profiles", "list"], variables: variables);
        var set = await CliRun.RunAsync(server, ["config", "set", "requirePar", "true", "--profile", "test", "--data-dir", "/nonexistent"], variables: variables);

        Assert.Equal(0, added.ExitCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(profilesFile));
        }
        Assert.Contains(credentials.Server, listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(credentials.ClientSecret, listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, set.ExitCode);
        Assert.Equal("true", (await CliRun.AgainstAsync(server, "config", "get", "requirePar")).Out.Trim());
    }

    [Fact]
    public async Task An_unknown_profile_is_an_error_naming_it()
    {
        var variables = new Dictionary<string, string> { ["PARAPET_PROFILES"] = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "profiles.json") };

        var result = await CliRun.RunAsync(null, ["features", "list", "--profile", "nope"], variables: variables);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No profile 'nope'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _parapet_complete parapet")]
    [InlineData("zsh", "compdef _parapet_complete parapet")]
    public async Task Completion_prints_a_script_that_asks_parapet_for_suggestions(string shell, string registration)
    {
        var result = await CliRun.RunAsync(null, ["completion", shell]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(registration, result.Out, StringComparison.Ordinal);
        Assert.Contains("[suggest:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_suggest_directive_completes_commands()
    {
        var result = await CliRun.RunAsync(null, ["[suggest:18]", "parapet features d"]);

        Assert.Equal("disable", result.Out.Trim());
    }
}
