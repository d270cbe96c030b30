using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Hosting;
using Parapet.Protocol.Properties;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Storage;

namespace Parapet.Server.Tests.Surface;

/// <summary>DESIGN §2.7: a key is published (next) before it signs (current) and after (previous, until its tokens expire).</summary>
public sealed class SigningKeyRotationTests
{
    private static async Task<List<JsonObject>> KeysAsync(ParapetTestServer server)
    {
        using var admin = await server.CreateAdminClientAsync();
        using var response = await admin.GetAsync("/admin/v1/keys");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonArrayAsync()).Select(k => k!.AsObject()).ToList();
    }

    private static async Task<HashSet<string>> JwksKidsAsync(ParapetTestServer server)
    {
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/jwks");
        return (await response.JsonAsync())["keys"]!.AsArray().Where(k => k!["use"]!.GetValue<string>() == "sig").Select(k => k!["kid"]!.GetValue<string>()).ToHashSet();
    }

    private static async Task<string> KidAsync(ParapetTestServer server, string status) =>
        (await KeysAsync(server)).Single(k => k["status"]!.GetValue<string>() == status && k["alg"]!.GetValue<string>() == "RS256")["kid"]!.GetValue<string>();

    private static async Task RotateAsync(ParapetTestServer server)
    {
        using var admin = await server.CreateAdminClientAsync();
        using var response = await admin.PostAsync("/admin/v1/keys/rotate", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task TickAsync(ParapetTestServer server) =>
        server.Services.GetRequiredService<SigningKeys>().TickAsync(server.Services.GetRequiredService<IPropertySource>().Current.Properties, CancellationToken.None);

    [Fact]
    public async Task A_new_server_publishes_a_current_and_a_next_key_per_algorithm_and_signs_with_the_current()
    {
        await using var server = await SurfaceSteps.ServerAsync();

        var keys = await KeysAsync(server);
        using var tokens = await server.SignInAsync();

        Assert.Equal(["RS256:current", "RS256:next", "ES256:current", "ES256:next"],
            keys.Select(k => $"{k["alg"]}:{k["status"]}").OrderBy(s => s.StartsWith("ES", StringComparison.Ordinal)).ThenBy(s => s));
        Assert.True(keys.Select(k => k["kid"]!.GetValue<string>()).ToHashSet().SetEquals(await JwksKidsAsync(server)));
        Assert.Equal(await KidAsync(server, "current"), new JsonWebToken(tokens.AccessToken).Kid);
    }

    [Fact]
    public async Task Rotation_signs_with_the_already_published_next_key_and_old_tokens_keep_working()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var before = await server.SignInAsync();
        var oldCurrent = await KidAsync(server, "current");
        var oldNext = await KidAsync(server, "next");

        await RotateAsync(server);
        using var after = await server.SignInAsync();

        Assert.Equal(oldNext, new JsonWebToken(after.AccessToken).Kid);
        Assert.Equal(oldNext, new JsonWebToken(after.IdToken).Kid);
        Assert.Equal(oldCurrent, await KidAsync(server, "previous"));
        var jwks = await JwksKidsAsync(server);
        Assert.Contains(oldCurrent, jwks);
        Assert.Contains(await KidAsync(server, "next"), jwks);
        using var userInfo = await server.UserInfoAsync(before.AccessToken);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        Assert.True(await server.IsActiveAsync(SurfaceSteps.App, before.AccessToken));
    }

    [Fact]
    public async Task Previous_key_is_retired_once_its_tokens_have_expired()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        var oldCurrent = await KidAsync(server, "current");
        await RotateAsync(server);

        server.Time.Advance(TimeSpan.FromSeconds(300));
        await TickAsync(server);
        Assert.Contains(oldCurrent, await JwksKidsAsync(server));

        server.Time.Advance(TimeSpan.FromSeconds(61));
        await TickAsync(server);

        Assert.DoesNotContain(oldCurrent, await JwksKidsAsync(server));
        Assert.Equal("retired", (await KeysAsync(server)).Single(k => k["kid"]!.GetValue<string>() == oldCurrent)["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Key_rotation_interval_rotates_when_due_and_not_before()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/keyRotationInterval","value":3600}]""");
        var oldNext = await KidAsync(server, "next");

        server.Time.Advance(TimeSpan.FromSeconds(3599));
        await TickAsync(server);
        Assert.Equal(oldNext, await KidAsync(server, "next"));

        server.Time.Advance(TimeSpan.FromSeconds(1));
        await TickAsync(server);

        Assert.Equal(oldNext, await KidAsync(server, "current"));
        using var tokens = await server.SignInAsync();
        Assert.Equal(oldNext, new JsonWebToken(tokens.AccessToken).Kid);
    }

    [Fact]
    public async Task Key_rotation_interval_of_zero_never_rotates()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        var current = await KidAsync(server, "current");

        server.Time.Advance(TimeSpan.FromDays(400));
        await TickAsync(server);

        Assert.Equal(current, await KidAsync(server, "current"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(30)]
    [InlineData(31_536_001)]
    public async Task Key_rotation_interval_out_of_range_is_refused(int value)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var content = new StringContent($$"""[{"op":"replace","path":"/keyRotationInterval","value":{{value}}}]""", Encoding.UTF8, "application/json-patch+json");
        using var response = await admin.PatchAsync("/admin/v1/config", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Property 'keyRotationInterval' must be 0 (off) or between 60 and 31536000.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_node_signs_with_the_new_key_after_its_next_check()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        var otherNode = ActivatorUtilities.CreateInstance<SigningKeys>(server.Services);
        await otherNode.EnsureAsync(CancellationToken.None);
        var oldNext = await KidAsync(server, "next");
        Assert.NotEqual(oldNext, otherNode.Signing.Key.KeyId);

        await RotateAsync(server);
        await otherNode.ReloadIfChangedAsync(CancellationToken.None);

        Assert.Equal(oldNext, otherNode.Signing.Key.KeyId);
        Assert.Equal(6, otherNode.PublicJwks.Count);
    }

    [Fact]
    public async Task Concurrent_rotations_leave_exactly_one_current_and_one_next_key()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        var keys = server.Services.GetRequiredService<SigningKeys>();
        var properties = server.Services.GetRequiredService<IPropertySource>().Current.Properties;

        // A rotation that read the key set before another committed loses (false); one that read after it is a rotation of its own.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => keys.RotateAsync(properties, CancellationToken.None))));

        var rsa = (await KeysAsync(server)).Where(k => k["alg"]!.GetValue<string>() == "RS256").Select(k => k["status"]!.GetValue<string>()).ToList();
        Assert.Single(rsa, s => s == "current");
        Assert.Single(rsa, s => s == "next");
        Assert.Equal(outcomes.Count(o => o), rsa.Count(s => s == "previous"));
        Assert.Equal(2 + outcomes.Count(o => o), rsa.Count);
    }

    [Fact]
    public async Task Stored_private_keys_are_protected_and_never_in_clear()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        var protector = server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(SigningKeys.Purpose);
        await using var db = server.Services.GetRequiredService<IContextFactory>().Create();

        // The encryption keys share the table under their own protector (EncryptedRequestObjectTests checks them).
        var rows = await db.SigningKeys.AsNoTracking().Where(k => k.Algorithm == "RS256" || k.Algorithm == "ES256").ToListAsync();

        Assert.Equal(4, rows.Count);
        Assert.All(rows, row =>
        {
            var jwk = new JsonWebKey(protector.Unprotect(row.ProtectedJwk));
            Assert.False(string.IsNullOrEmpty(jwk.D));
            Assert.DoesNotContain(jwk.D, row.ProtectedJwk, StringComparison.Ordinal);
            Assert.DoesNotContain("\"d\"", row.ProtectedJwk, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Retired_keys_lose_their_private_part()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        var oldCurrent = await KidAsync(server, "current");
        await RotateAsync(server);
        server.Time.Advance(TimeSpan.FromHours(1));
        await TickAsync(server);
        await using var db = server.Services.GetRequiredService<IContextFactory>().Create();

        var row = await db.SigningKeys.AsNoTracking().SingleAsync(k => k.KeyId == oldCurrent);

        Assert.Equal("retired", row.Status);
        Assert.Equal("", row.ProtectedJwk);
    }

    [Fact]
    public async Task Key_list_shows_no_private_parts()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        await RotateAsync(server);

        var keys = await KeysAsync(server);

        Assert.All(keys, k => Assert.Equal(["kid", "alg", "status", "created_at", "changed_at", "retire_at"], k.Select(m => m.Key)));
    }

    [Fact]
    public async Task Key_endpoints_need_an_admin_token()
    {
        await using var server = await SurfaceSteps.ServerAsync();
        using var http = server.CreateClient();

        using var list = await http.GetAsync("/admin/v1/keys");
        using var rotate = await http.PostAsync("/admin/v1/keys/rotate", null);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rotate.StatusCode);
    }
}
