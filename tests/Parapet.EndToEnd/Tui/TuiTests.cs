using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Parapet.EndToEnd.Tui;

/// <summary>
/// <c>parapet tui</c> in a real 80×24 terminal (tmux) against a real <c>parapet serve</c>. Each test drives the keyboard
/// the way an operator would and asserts what the SERVER now does, not just what the screen says.
/// </summary>
public sealed partial class TuiTests : IAsyncLifetime
{
    // RFC 7636 Appendix B.
    private const string PkceChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static readonly TimeSpan ServerDeadline = TimeSpan.FromSeconds(10);

    private TuiServerFixture _server = null!;
    private TmuxTerminal _terminal = null!;

    public async Task InitializeAsync()
    {
        _server = await TuiServerFixture.StartAsync();
        _terminal = TmuxTerminal.Start($"dotnet {TuiServerFixture.ParapetDll} tui --data-dir {_server.DataDir}");
        await _terminal.WaitForAsync("revision 1");
    }

    public async Task DisposeAsync()
    {
        _terminal?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Switching_off_par_under_enabledFeatureFlags_closes_the_endpoint_and_drops_it_from_discovery()
    {
        await OpenPropertyAsync("enabledFeatureFlags", "Space switches");
        _terminal.Type("par");
        _terminal.Keys("Space");

        await EventuallyAsync(async () => (await _server.AdminAsync(HttpMethod.Get, "/config/features/par")).Body!["enabled"]!.GetValue<bool>() == false,
            "the par flag is disabled on the server");
        using var push = await PushAsync("any-client", "any-secret");
        Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        Assert.False((await _server.DiscoveryAsync()).ContainsKey("pushed_authorization_request_endpoint"));

        _terminal.Keys("Enter");
        await _terminal.WaitForAsync(s => EnabledFeatureFlagsRow().Match(s) is { Success: true } m && !m.Value.Contains("par,"), "enabledFeatureFlags without par");
    }

    [Fact]
    public async Task Checking_requirePar_is_published_as_require_pushed_authorization_requests()
    {
        await OpenPropertyAsync("requirePar", "Space toggles");
        _terminal.Keys("Space");
        await _terminal.WaitForAsync("☑ requirePar");
        _terminal.Keys("Enter");

        await EventuallyAsync(async () => (await _server.DiscoveryAsync())["require_pushed_authorization_requests"]?.GetValue<bool>() == true,
            "discovery requires pushed authorization requests");
        await _terminal.WaitForAsync(s => s.Contains("revision 2") && RequireParTrueRow().IsMatch(s), "revision 2 with requirePar true");
    }

    [Fact]
    public async Task An_out_of_range_number_shows_the_servers_message_and_changes_nothing()
    {
        var before = await _server.AdminAsync(HttpMethod.Get, "/config");
        await OpenPropertyAsync("defaultParLifetime", "A whole number");
        _terminal.Type("99999");
        await _terminal.WaitForAsync("99999");
        _terminal.Keys("Enter");

        await _terminal.WaitForAsync("Property 'defaultParLifetime' must be between 5 and 3600.");
        var after = await _server.AdminAsync(HttpMethod.Get, "/config");
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(600, after.Body!["defaultParLifetime"]!.GetValue<int>());
        Assert.Equal(before.Body!["revision"]!.GetValue<long>(), after.Body["revision"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_save_from_an_editor_opened_before_a_change_elsewhere_is_refused_and_overwrites_nothing()
    {
        await OpenPropertyAsync("requirePar", "Space toggles");
        await _server.AdminAsync(HttpMethod.Patch, "/config",
            new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/defaultParLifetime", ["value"] = 300 }), "application/json-patch+json");
        await _terminal.WaitForAsync("revision 2");

        _terminal.Keys("Space");
        await _terminal.WaitForAsync("☑ requirePar");
        _terminal.Keys("Enter");

        await _terminal.WaitForAsync("The properties changed since revision 1; the current revision is 2.");
        var config = (await _server.AdminAsync(HttpMethod.Get, "/config")).Body!;
        Assert.False(config["requirePar"]!.GetValue<bool>());
        Assert.Equal(300, config["defaultParLifetime"]!.GetValue<int>());
        Assert.Equal(2, config["revision"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_client_created_with_PAR_lifetime_120_gets_request_uris_that_expire_in_120_seconds()
    {
        await OpenSectionAsync("c", "CLIENT ID");
        _terminal.Keys("n");
        await _terminal.WaitForAsync("New client");
        _terminal.Type("tui-app");
        _terminal.Keys("Tab");
        _terminal.Type("TUI app");
        _terminal.Keys("Tab");
        _terminal.Type("https://app.example/cb");
        _terminal.Keys("Tab");
        _terminal.Type("https://app.example/bye https://app.example/later");
        _terminal.Keys("Tab", "Tab");
        _terminal.Type("120");
        await _terminal.WaitForAsync("120 ");
        _terminal.Keys("Enter");

        var screen = await _terminal.WaitForAsync("client_secret: ");
        var secret = SecretLine().Match(screen).Groups[1].Value;
        var client = (await _server.AdminAsync(HttpMethod.Get, "/clients/tui-app")).Body!;
        Assert.Equal(120, client["par_lifetime"]!.GetValue<int>());
        Assert.Equal("TUI app", client["client_name"]!.GetValue<string>());
        Assert.Equal(["https://app.example/bye", "https://app.example/later"], client["post_logout_redirect_uris"]!.AsArray().Select(u => u!.GetValue<string>()));

        using var push = await PushAsync("tui-app", secret);
        var body = await push.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(push.StatusCode == HttpStatusCode.Created, $"{push.StatusCode}: {body}");
        Assert.Equal(120, body!["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_client_editor_shows_and_sets_dpop_bound_access_tokens_and_keeps_the_logout_uris()
    {
        await _server.AdminAsync(HttpMethod.Post, "/clients", new JsonObject
        {
            ["client_id"] = "a-dpop", ["redirect_uris"] = new JsonArray("https://app.example/cb"), ["dpop_bound_access_tokens"] = true,
            ["post_logout_redirect_uris"] = new JsonArray("https://app.example/bye"),
        });
        await OpenSectionAsync("c", "a-dpop");
        foreach (var bound in new[] { true, false })
        {
            // The editor shows the stored value; the box's hot key flips it, and saving sends the whole form.
            _terminal.Keys("e");
            await _terminal.WaitForAsync((bound ? "☑" : "☐") + " DPoP-bound tokens");
            _terminal.Keys("M-d");
            await _terminal.WaitForAsync((bound ? "☐" : "☑") + " DPoP-bound tokens");
            _terminal.Keys("M-s");
            await EventuallyAsync(async () => (await _server.AdminAsync(HttpMethod.Get, "/clients/a-dpop")).Body!["dpop_bound_access_tokens"]?.GetValue<bool>() == !bound,
                $"dpop_bound_access_tokens stored as {!bound}");
        }
        var saved = (await _server.AdminAsync(HttpMethod.Get, "/clients/a-dpop")).Body!;
        Assert.Equal(["https://app.example/bye"], saved["post_logout_redirect_uris"]!.AsArray().Select(u => u!.GetValue<string>()));
    }

    [Fact]
    public async Task Rotating_a_secret_shows_a_new_one_that_replaces_the_old()
    {
        var created = (await _server.AdminAsync(HttpMethod.Post, "/clients", new JsonObject
        {
            ["client_id"] = "a-rotated", ["redirect_uris"] = new JsonArray("https://app.example/cb"),
        })).Body!;
        var oldSecret = created["client_secret"]!.GetValue<string>();
        await OpenSectionAsync("c", "a-rotated");
        _terminal.Keys("r");
        await _terminal.WaitForAsync("Issue a new secret for 'a-rotated'?");
        _terminal.Keys("Tab", "Enter");
        // The default (last) button is Cancel, so Enter alone would have kept the old secret; Tab moved to Rotate.
        var screen = await _terminal.WaitForAsync("Secret rotated");
        var newSecret = SecretLine().Match(screen).Groups[1].Value;

        Assert.NotEqual(oldSecret, newSecret);
        using var withNew = await PushAsync("a-rotated", newSecret);
        Assert.Equal(HttpStatusCode.Created, withNew.StatusCode);
        using var withOld = await PushAsync("a-rotated", oldSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_client_asks_first_and_Enter_keeps_it()
    {
        await _server.AdminAsync(HttpMethod.Post, "/clients", new JsonObject { ["client_id"] = "a-doomed", ["redirect_uris"] = new JsonArray("https://app.example/cb") });
        await OpenSectionAsync("c", "a-doomed");
        _terminal.Keys("d");
        await _terminal.WaitForAsync("Delete client 'a-doomed'?");
        _terminal.Keys("Enter");
        await _terminal.WaitForAsync(s => !s.Contains("Delete client 'a-doomed'?"), "the question closed");
        await _server.AdminAsync(HttpMethod.Get, "/clients/a-doomed");

        _terminal.Keys("d");
        await _terminal.WaitForAsync("Delete client 'a-doomed'?");
        _terminal.Keys("Tab", "Enter");
        await _terminal.WaitForAsync(s => !s.Contains("a-doomed"), "the client gone from the list");
        var clients = (await _server.AdminAsync(HttpMethod.Get, "/clients")).Body!.AsArray();
        Assert.DoesNotContain(clients, c => c!["client_id"]!.GetValue<string>() == "a-doomed");
    }

    [Fact]
    public async Task Users_are_added_given_a_password_and_deleted()
    {
        await OpenSectionAsync("u", "USERNAME");
        _terminal.Keys("n");
        await _terminal.WaitForAsync("New user");
        _terminal.Type("alice");
        _terminal.Keys("Tab");
        _terminal.Type("correct-horse-battery");
        _terminal.Keys("Tab");
        _terminal.Type("Alice");
        _terminal.Keys("Enter");
        await _terminal.WaitForAsync(s => UserRow().IsMatch(s), "alice in the list");
        Assert.Equal("Alice", (await _server.AdminAsync(HttpMethod.Get, "/users/alice")).Body!["name"]!.GetValue<string>());

        _terminal.Keys("p");
        await _terminal.WaitForAsync("Password of alice");
        _terminal.Type("another-long-password");
        _terminal.Keys("Tab");
        _terminal.Type("another-long-password");
        _terminal.Keys("Enter");
        await _terminal.WaitForAsync("The password of 'alice' was changed.");
        var audit = (await _server.AdminAsync(HttpMethod.Get, "/audit?target=alice&action=user.set-password")).Body!.AsArray();
        Assert.Single(audit);
        _terminal.Keys("Enter");

        await _terminal.WaitForAsync(s => !s.Contains("was changed"), "the message closed");
        _terminal.Keys("d");
        await _terminal.WaitForAsync("Delete user 'alice'?");
        _terminal.Keys("Tab", "Enter");
        await _terminal.WaitForAsync(s => !UserRow().IsMatch(s), "alice gone from the list");
        Assert.Empty((await _server.AdminAsync(HttpMethod.Get, "/users")).Body!.AsArray());
    }

    [Fact]
    public async Task A_change_made_elsewhere_shows_in_the_header_and_the_list_and_the_screen_survives_a_resize()
    {
        await OpenPropertyAsync("requirePar", null);
        await _server.AdminAsync(HttpMethod.Patch, "/config",
            new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/requirePar", ["value"] = true }), "application/json-patch+json");

        await _terminal.WaitForAsync(s => s.Contains("revision 2") && RequireParTrueRow().IsMatch(s), "revision 2 with requirePar true");
        _terminal.Resize(60, 18);
        await _terminal.WaitForAsync(s => FramedAt(s, 60, 18) && s.Contains("revision 2"), "the window redrawn 60×18");
        _terminal.Resize(80, 24);
        await _terminal.WaitForAsync(s => FramedAt(s, 80, 24) && RequireParTrueRow().IsMatch(s), "the window redrawn 80×24");
    }

    /// <summary>Main menu → Auth Server › Properties → filter by name; with <paramref name="editor"/>, Enter opens it.</summary>
    private async Task OpenPropertyAsync(string name, string? editor)
    {
        await OpenSectionAsync("p", "Filter:");
        _terminal.Type(name);
        await _terminal.WaitForAsync($"Filter: {name}");
        if (editor is not null)
        {
            _terminal.Keys("Enter");
            await _terminal.WaitForAsync(editor);
        }
    }

    private async Task OpenSectionAsync(string key, string shows)
    {
        await _terminal.WaitForAsync("Main menu");
        _terminal.Keys(key);
        await _terminal.WaitForAsync(shows);
    }

    /// <summary>The window's frame has its corners exactly at the terminal's edges: it was laid out again, not cut by tmux.</summary>
    private static bool FramedAt(string screen, int width, int height)
    {
        var lines = screen.Split('\n');
        return lines.Length >= height
            && lines[0].TrimEnd() is { } top && top.Length == width && top.EndsWith('┐')
            && lines[height - 1].TrimEnd() is { } bottom && bottom.Length == width && bottom.StartsWith('└') && bottom.EndsWith('┘');
    }

    private async Task<HttpResponseMessage> PushAsync(string clientId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["response_type"] = "code", ["redirect_uri"] = "https://app.example/cb", ["scope"] = "openid",
                ["state"] = "s1", ["code_challenge"] = PkceChallenge, ["code_challenge_method"] = "S256",
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return await _server.Http.SendAsync(request);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + ServerDeadline;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"The server never reached: {what}.");
    }

    [GeneratedRegex(@"client_secret: (\S+)")]
    private static partial Regex SecretLine();

    [GeneratedRegex(@"requirePar\s+true")]
    private static partial Regex RequireParTrueRow();

    [GeneratedRegex(@"enabledFeatureFlags\s+[^│]*")]
    private static partial Regex EnabledFeatureFlagsRow();

    [GeneratedRegex(@"│alice\s+Alice")]
    private static partial Regex UserRow();
}
