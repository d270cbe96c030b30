using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Users;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

public sealed class UserApiTests
{
    private static async Task<bool> PasswordWorksAsync(ParapetTestServer server, string username, string password)
    {
        var user = await server.Services.GetRequiredService<IUserStore>().FindByUsernameAsync(username, CancellationToken.None);
        var hasher = server.Services.GetRequiredService<IPasswordHasher<User>>();
        return user is not null && hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    [Fact]
    public async Task Users_can_be_created_read_listed_updated_and_deleted_and_no_password_leaves_the_server()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var created = await admin.PostAsJsonAsync("/admin/v1/users", new { username = "alice", password = "correct-horse-battery", name = "Alice", email = "alice@example.com" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("alice", body["username"]!.GetValue<string>());
        Assert.Equal("Alice", body["name"]!.GetValue<string>());
        Assert.False(body["disabled"]!.GetValue<bool>());

        using var read = await admin.GetAsync("/admin/v1/users/alice");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("alice@example.com", (await read.JsonAsync())["email"]!.GetValue<string>());

        using var list = await admin.GetAsync("/admin/v1/users");
        var listed = await list.JsonArrayAsync();
        Assert.Contains(listed, u => u!["username"]!.GetValue<string>() == "alice");
        var text = listed.ToJsonString() + body.ToJsonString();
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("correct-horse-battery", text, StringComparison.Ordinal);

        using var updated = await admin.PutAsJsonAsync("/admin/v1/users/alice", new { name = "Alice Liddell", disabled = true });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = await updated.JsonAsync();
        Assert.Equal("Alice Liddell", after["name"]!.GetValue<string>());
        Assert.Equal("alice@example.com", after["email"]!.GetValue<string>());
        Assert.True(after["disabled"]!.GetValue<bool>());
        Assert.True(await PasswordWorksAsync(server, "alice", "correct-horse-battery"));

        using var deleted = await admin.DeleteAsync("/admin/v1/users/alice");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.GetAsync("/admin/v1/users/alice");
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        using var again = await admin.DeleteAsync("/admin/v1/users/alice");
        await again.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Setting_a_password_replaces_the_old_one()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateUserAsync("bob", "first-password-1");
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PutAsJsonAsync("/admin/v1/users/bob/password", new { password = "second-password-2" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(await PasswordWorksAsync(server, "bob", "second-password-2"));
        Assert.False(await PasswordWorksAsync(server, "bob", "first-password-1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    public async Task A_too_short_password_is_refused_and_the_old_one_kept(string password)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateUserAsync("bob", "first-password-1");
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PutAsJsonAsync("/admin/v1/users/bob/password", new { password });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("'password'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(await PasswordWorksAsync(server, "bob", "first-password-1"));
    }

    [Theory]
    [InlineData("""{"username":"","password":"long-enough-1"}""", "'username'")]
    [InlineData("""{"username":"with space","password":"long-enough-1"}""", "'username'")]
    [InlineData("""{"password":"long-enough-1"}""", "'username'")]
    [InlineData("""{"username":"carol","password":"short"}""", "'password'")]
    [InlineData("""{"username":"carol"}""", "'password'")]
    public async Task Invalid_users_are_400_naming_the_field(string json, string named)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PostAsync("/admin/v1/users", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(named, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await (await admin.GetAsync("/admin/v1/users")).JsonArrayAsync());
    }

    [Fact]
    public async Task A_second_user_with_the_same_name_is_409()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateUserAsync("dave");
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PostAsJsonAsync("/admin/v1/users", new { username = "dave", password = "another-password" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Setting_the_password_of_an_unknown_user_is_404()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PutAsJsonAsync("/admin/v1/users/nobody/password", new { password = "long-enough-1" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}
