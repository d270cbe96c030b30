using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class ConfigCommandTests
{
    [Fact]
    public async Task Config_set_requirePar_true_is_published_in_discovery()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "set", "requirePar", "true");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("requirePar = true (revision ", result.Out);
        using var http = server.CreateClient();
        var discovery = await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration");
        Assert.True(discovery!["require_pushed_authorization_requests"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Config_set_with_a_value_of_the_wrong_type_fails_naming_the_property_and_changes_nothing()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "set", "defaultParLifetime", "ten");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("'defaultParLifetime'", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        var after = await CliRun.AgainstAsync(server, "config", "get", "defaultParLifetime");
        Assert.Equal("600", after.Out.Trim());
    }

    [Fact]
    public async Task Config_set_out_of_range_value_fails_with_the_servers_message()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "set", "defaultParLifetime", "-5");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("defaultParLifetime", result.Error);
    }

    [Fact]
    public async Task Config_set_defaultParLifetime_changes_the_expires_in_of_the_next_push()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var result = await CliRun.AgainstAsync(server, "config", "set", "defaultParLifetime", "90");

        Assert.Equal(0, result.ExitCode);
        var (_, body) = await CliRun.PushAsync(server, "app", ParapetTestServer.ClientSecret);
        Assert.Equal(90, body["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Config_set_enabledFeatureFlags_alias_with_a_comma_list_replaces_the_feature_flags()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "set", "enabledFeatureFlags", "par, userinfo");

        Assert.Equal(0, result.ExitCode);
        var flags = (await CliRun.AgainstAsync(server, "config", "get", "featureFlags", "--json")).Json.AsArray();
        Assert.Equal(["par", "userinfo"], flags.Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task Config_set_a_list_as_a_json_array_is_accepted()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "set", "featureFlags", """["par","registration"]""");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("par,registration", (await CliRun.AgainstAsync(server, "config", "get", "featureFlags")).Out.Trim());
    }

    [Fact]
    public async Task Config_get_of_an_unknown_property_fails_naming_it()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "get", "noSuchProperty");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: 'noSuchProperty' is not a known property.", result.Error.Trim());
    }

    [Fact]
    public async Task Config_get_lists_every_property_in_aligned_columns()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "get");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0]);
        var valueColumn = lines[0].IndexOf("VALUE", StringComparison.Ordinal);
        var requirePar = lines.Single(l => l.StartsWith("requirePar ", StringComparison.Ordinal));
        Assert.Equal("false", requirePar[valueColumn..]);
        Assert.Contains(lines, l => l.StartsWith("issuer ", StringComparison.Ordinal) && l[valueColumn..] == ParapetTestServer.Issuer);
    }

    [Fact]
    public async Task Config_get_json_is_the_servers_document_with_its_revision()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "config", "get", "--json");

        Assert.Equal(0, result.ExitCode);
        var document = result.Json.AsObject();
        Assert.False(document["requirePar"]!.GetValue<bool>());
        Assert.True(document["revision"]!.GetValue<long>() >= 1);
    }

    [Fact]
    public async Task Config_patch_from_stdin_applies_every_operation_with_janssen_paths()
    {
        await using var server = await ParapetTestServer.StartAsync();
        const string patch = """[{"op":"replace","path":"requirePar","value":true},{"op":"replace","path":"/defaultParLifetime","value":120}]""";

        var result = await CliRun.RunAsync(server, ["config", "patch", "-", "--data-dir", server.DataDir], stdin: patch);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Applied; the properties are now at revision ", result.Out);
        var document = (await CliRun.AgainstAsync(server, "config", "get", "--json")).Json;
        Assert.True(document["requirePar"]!.GetValue<bool>());
        Assert.Equal(120, document["defaultParLifetime"]!.GetValue<int>());
    }

    [Fact]
    public async Task Config_patch_from_a_file_with_a_stale_revision_is_refused()
    {
        await using var server = await ParapetTestServer.StartAsync();
        var file = Path.Combine(server.DataDir, "patch.json");
        await File.WriteAllTextAsync(file, """[{"op":"replace","path":"/requirePar","value":true}]""");
        var revision = (await CliRun.AgainstAsync(server, "config", "get", "revision")).Out.Trim();
        await CliRun.AgainstAsync(server, "config", "set", "defaultParLifetime", "300");

        var result = await CliRun.AgainstAsync(server, "config", "patch", file, "--if-revision", revision);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"changed since revision {revision}", result.Error);
        Assert.Equal("false", (await CliRun.AgainstAsync(server, "config", "get", "requirePar")).Out.Trim());
    }
}
