using System.Net;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.Registration;

namespace Parapet.Server.Tests.Cli;

public sealed class RegistrationTokensCommandTests
{
    private static string PrintedToken(CliResult result) =>
        result.Out.Split('\n').Single(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..].Trim();

    [Fact]
    public async Task Create_prints_the_token_once_and_it_opens_registration_when_required()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync("""{"op":"replace","path":"registrationRequireInitialAccessToken","value":true}""");

        var result = await CliRun.AgainstAsync(server, "registration-tokens", "create", "--max-uses", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches("^Created initial access token '[^']+' for 1 registration\\(s\\)\\.", result.Out);
        Assert.Contains("Store it now: it is shown only this once", result.Out, StringComparison.Ordinal);
        var token = PrintedToken(result);
        using var first = await server.RegisterAsync(bearer: token);
        using var second = await server.RegisterAsync(bearer: token);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    public async Task Create_with_json_and_an_expiry_returns_the_servers_json()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "registration-tokens", "create", "--expires-in", "600", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(43, result.Json["token"]!.GetValue<string>().Length);
        Assert.Equal(server.Time.GetUtcNow().AddSeconds(600).ToUnixTimeSeconds(), result.Json["expires_at"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task List_shows_ids_and_uses_but_never_the_token()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var created = await CliRun.AgainstAsync(server, "registration-tokens", "create", "--max-uses", "5", "--json");

        var table = await CliRun.AgainstAsync(server, "registration-tokens", "list");
        var json = await CliRun.AgainstAsync(server, "registration-tokens", "list", "--json");

        Assert.Equal(0, table.ExitCode);
        var id = created.Json["id"]!.GetValue<string>();
        var token = created.Json["token"]!.GetValue<string>();
        Assert.StartsWith("ID", table.Out, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^{id}\s+\S+\s+\s*5\s+0\s*$", table.Out);
        Assert.DoesNotContain(token, table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(token, json.Out, StringComparison.Ordinal);
        Assert.Equal(id, json.Json.AsArray().Single()!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoke_makes_the_token_unusable()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync("""{"op":"replace","path":"registrationRequireInitialAccessToken","value":true}""");
        var created = await CliRun.AgainstAsync(server, "registration-tokens", "create", "--json");
        var id = created.Json["id"]!.GetValue<string>();

        var result = await CliRun.AgainstAsync(server, "registration-tokens", "revoke", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Revoked initial access token '{id}'.", result.Out.Trim());
        using var register = await server.RegisterAsync(bearer: created.Json["token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        Assert.Equal("[]", (await CliRun.AgainstAsync(server, "registration-tokens", "list", "--json")).Json.ToJsonString());
    }

    [Theory]
    [InlineData(new[] { "registration-tokens", "revoke", "nope" }, "error: No initial access token 'nope'.")]
    [InlineData(new[] { "registration-tokens", "create", "--max-uses", "0" }, "error: max_uses must be between 1 and 1000000 (absent: any number of registrations).")]
    [InlineData(new[] { "registration-tokens", "create", "--expires-in", "0" }, "error: expires_in must be between 1 and 31536000 seconds (absent: the token does not expire).")]
    public async Task Refusals_exit_1_with_the_servers_message(string[] args, string error)
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Error.Trim());
    }
}
