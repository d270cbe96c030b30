using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Parapet.Protocol.Properties;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

public sealed class ConfigApiTests
{
    [Fact]
    public async Task Get_config_returns_every_property_with_the_revision_as_etag()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.GetAsync("/admin/v1/config");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var expected = PropertyDocument.ToJson(new ServerProperties()).Select(p => p.Key).Append("revision").Order(StringComparer.Ordinal);
        Assert.Equal(expected, body.Select(p => p.Key).Order(StringComparer.Ordinal));
        var revision = body["revision"]!.GetValue<long>();
        Assert.True(revision >= 1);
        Assert.Equal($"\"{revision}\"", response.Headers.ETag!.Tag);
        Assert.Equal(ParapetTestServer.Issuer, body["issuer"]!.GetValue<string>());
        Assert.Equal(600, body["defaultParLifetime"]!.GetValue<int>());
        Assert.False(body["requirePar"]!.GetValue<bool>());
        Assert.Contains("par", body["featureFlags"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/requirePar")]
    [InlineData("requirePar")] // Janssen's config API paths have no leading '/'
    public async Task Patch_changes_a_property_and_discovery_shows_it_at_once(string path)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        var before = (await admin.ConfigAsync())["revision"]!.GetValue<long>();
        Assert.False((await server.DiscoveryAsync())["require_pushed_authorization_requests"]!.GetValue<bool>());

        using var response = await admin.PatchJsonAsync("/admin/v1/config", $$"""[{"op":"replace","path":"{{path}}","value":true}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.True(body["requirePar"]!.GetValue<bool>());
        Assert.Equal(before + 1, body["revision"]!.GetValue<long>());
        Assert.Equal($"\"{before + 1}\"", response.Headers.ETag!.Tag);
        Assert.True((await server.DiscoveryAsync())["require_pushed_authorization_requests"]!.GetValue<bool>());
        Assert.True((await server.DiscoveryAsync("/.well-known/oauth-authorization-server"))["require_pushed_authorization_requests"]!.GetValue<bool>());
        Assert.True((await admin.ConfigAsync())["requirePar"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_patched_par_lifetime_is_used_by_the_next_push()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var admin = await server.CreateAdminClientAsync();

        using var patch = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"defaultParLifetime","value":90}]""");
        using var push = await server.PushAsync("app");

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(90, (await push.JsonAsync())["expires_in"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("enabledFeatureFlags")]
    [InlineData("/enabledFeatureFlags")]
    [InlineData("/featureFlags")]
    public async Task Feature_flags_can_be_patched_under_either_name(string path)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.PatchJsonAsync("/admin/v1/config", $$"""[{"op":"replace","path":"{{path}}","value":["userinfo","par"]}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["par", "userinfo"], body["featureFlags"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.False(body.ContainsKey("enabledFeatureFlags"));
    }

    [Fact]
    public async Task Patch_with_the_current_etag_succeeds_and_a_stale_one_is_412_and_changes_nothing()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        using var get = await admin.GetAsync("/admin/v1/config");
        var etag = get.Headers.ETag!.Tag;

        using var first = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"/defaultParLifetime","value":120}]""", ifMatch: etag);
        var afterFirst = await admin.ConfigAsync();
        using var stale = await admin.PatchJsonAsync("/admin/v1/config", """[{"op":"replace","path":"/defaultParLifetime","value":300}]""", ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "conflict");
        var afterStale = await admin.ConfigAsync();
        Assert.Equal(120, afterStale["defaultParLifetime"]!.GetValue<int>());
        Assert.Equal(afterFirst["revision"]!.GetValue<long>(), afterStale["revision"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/requirePar","value":"yes"}]""", "requirePar")]
    [InlineData("""[{"op":"replace","path":"/defaultParLifetime","value":"600"}]""", "defaultParLifetime")]
    [InlineData("""[{"op":"replace","path":"/defaultParLifetime","value":4}]""", "defaultParLifetime")]
    [InlineData("""[{"op":"replace","path":"defaultParLifetime","value":3601}]""", "defaultParLifetime")]
    [InlineData("""[{"op":"replace","path":"/sessionIdLifetime","value":0}]""", "sessionIdLifetime")]
    [InlineData("""[{"op":"replace","path":"/parEndpoint","value":"not a url"}]""", "parEndpoint")]
    [InlineData("""[{"op":"replace","path":"/mtlsParEndpoint","value":"https://mtls.example/par?x=1"}]""", "mtlsParEndpoint")]
    [InlineData("""[{"op":"replace","path":"/issuer","value":""}]""", "issuer")]
    [InlineData("""[{"op":"replace","path":"/featureFlags","value":[]}]""", "featureFlags")]
    [InlineData("""[{"op":"replace","path":"enabledFeatureFlags","value":[]}]""", "featureFlags")]
    [InlineData("""[{"op":"replace","path":"/featureFlags","value":["par","bogus"]}]""", "bogus")]
    [InlineData("""[{"op":"add","path":"/noSuchProperty","value":true}]""", "noSuchProperty")]
    [InlineData("""[{"op":"add","path":"/RequirePar","value":true}]""", "RequirePar")]
    // One bad operation spoils the whole patch: the good one before it is not applied either.
    [InlineData("""[{"op":"replace","path":"/requirePar","value":true},{"op":"replace","path":"/defaultParLifetime","value":0}]""", "defaultParLifetime")]
    // FAPI 2.0 §5.3.2.2: codes live at most 60 s, so the switch and a longer authorizationCodeLifetime cannot be on together.
    [InlineData("""[{"op":"replace","path":"/fapiCompatibility","value":true},{"op":"replace","path":"/authorizationCodeLifetime","value":61}]""", "authorizationCodeLifetime")]
    public async Task An_invalid_patch_is_400_naming_the_property_and_changes_nothing(string patch, string named)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        var before = await admin.ConfigAsync();

        using var response = await admin.PatchJsonAsync("/admin/v1/config", patch);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains($"'{named}'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = await admin.ConfigAsync();
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"/requirePar","value":true}""")]
    [InlineData("""{"requirePar":true}""")]
    [InlineData(""""[{"op":"replace","path":"/requirePar"""")]
    [InlineData("""[{"op":"replace","path":"/nonexistent","value":true}]""")]
    public async Task A_malformed_or_inapplicable_patch_is_400_and_changes_nothing(string patch)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        var before = await admin.ConfigAsync();

        using var response = await admin.PatchJsonAsync("/admin/v1/config", patch);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(before.ToJsonString(), (await admin.ConfigAsync()).ToJsonString());
    }

    [Fact]
    public async Task A_change_written_straight_into_the_database_is_in_force_within_one_second()
    {
        await using var server = await ParapetTestServer.StartAsync();
        Assert.False((await server.DiscoveryAsync())["require_pushed_authorization_requests"]!.GetValue<bool>());

        await using (var db = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "parapet.db")};Pooling=False"))
        {
            await db.OpenAsync();
            await using var update = db.CreateCommand();
            update.CommandText = "UPDATE properties SET Document = json_set(Document, '$.requirePar', json('true')), Revision = Revision + 1 WHERE Id = 1";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        var clock = Stopwatch.StartNew();
        var seen = false;
        while (!seen && clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            seen = (await server.DiscoveryAsync())["require_pushed_authorization_requests"]!.GetValue<bool>();
            if (!seen)
            {
                await Task.Delay(50);
            }
        }
        var elapsed = clock.Elapsed;

        Assert.True(seen, "the stored change never reached discovery within 3 s");
        Assert.True(elapsed <= TimeSpan.FromSeconds(1), $"the stored change took {elapsed.TotalMilliseconds:F0} ms to apply");
    }
}
