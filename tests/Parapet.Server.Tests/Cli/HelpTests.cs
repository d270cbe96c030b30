namespace Parapet.Server.Tests.Cli;

public sealed class HelpTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("migrate")]
    [InlineData("config get")]
    [InlineData("config set")]
    [InlineData("config patch")]
    [InlineData("features list")]
    [InlineData("features enable")]
    [InlineData("features disable")]
    [InlineData("clients list")]
    [InlineData("clients add")]
    [InlineData("clients show")]
    [InlineData("clients update")]
    [InlineData("clients delete")]
    [InlineData("clients rotate-secret")]
    [InlineData("users add")]
    [InlineData("users list")]
    [InlineData("users set-password")]
    [InlineData("users delete")]
    [InlineData("par list")]
    [InlineData("par revoke")]
    [InlineData("keys list")]
    [InlineData("keys rotate")]
    public async Task Every_command_help_ends_with_an_example_of_it(string command)
    {
        var result = await CliRun.RunAsync(null, [.. command.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        var examples = result.Out[result.Out.IndexOf("Examples:", StringComparison.Ordinal)..];
        Assert.Contains("  parapet " + command, examples);
    }

    [Fact]
    public async Task An_unknown_command_fails_on_stderr()
    {
        var result = await CliRun.RunAsync(null, ["clients", "frobnicate"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", result.Error);
    }
}
