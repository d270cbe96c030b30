using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Users;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class UsersCommandTests
{
    [Fact]
    public async Task Users_add_stores_a_user_whose_password_verifies_and_list_shows_it()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var added = await CliRun.AgainstAsync(server, "users", "add", "alice", "--password", ParapetTestServer.UserPassword, "--name", "Alice", "--email", "alice@example.com");
        var listed = await CliRun.AgainstAsync(server, "users", "list");

        Assert.Equal(0, added.ExitCode);
        Assert.True(await PasswordVerifiesAsync(server, "alice", ParapetTestServer.UserPassword));
        Assert.Matches(@"(?m)^alice\s+Alice\s+alice@example.com\s+false\s+", listed.Out);
    }

    [Fact]
    public async Task Users_set_password_from_stdin_replaces_the_password()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateUserAsync("alice");

        var result = await CliRun.RunAsync(server, ["users", "set-password", "alice", "--password", "-", "--data-dir", server.DataDir], stdin: "another-long-password\n");

        Assert.Equal(0, result.ExitCode);
        Assert.True(await PasswordVerifiesAsync(server, "alice", "another-long-password"));
        Assert.False(await PasswordVerifiesAsync(server, "alice", ParapetTestServer.UserPassword));
    }

    [Fact]
    public async Task Users_add_with_a_short_password_fails_with_the_servers_message()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "users", "add", "bob", "--password", "short");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: 'password' is required: 8 to 1024 characters.", result.Error.Trim());
        Assert.Equal("[]", (await CliRun.AgainstAsync(server, "users", "list", "--json")).Json.ToJsonString());
    }

    [Fact]
    public async Task Users_delete_removes_the_user()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateUserAsync("alice");

        var result = await CliRun.AgainstAsync(server, "users", "delete", "alice");

        Assert.Equal(0, result.ExitCode);
        Assert.Null(await server.Services.GetRequiredService<IUserStore>().FindByUsernameAsync("alice", CancellationToken.None));
    }

    private static async Task<bool> PasswordVerifiesAsync(ParapetTestServer server, string username, string password)
    {
        var user = await server.Services.GetRequiredService<IUserStore>().FindByUsernameAsync(username, CancellationToken.None);
        var hasher = server.Services.GetRequiredService<IPasswordHasher<User>>();
        return user is not null && hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }
}
