using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Parapet.Hosting;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Registration;

/// <summary>RFC 7592: a dynamically registered client reads, replaces and deletes its registration with its registration access token.</summary>
public sealed class ClientConfigurationTests
{
    private static async Task<(ParapetTestServer Server, JsonObject Registered)> RegisteredClientAsync(string json = RegistrationHttp.Valid)
    {
        var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync();
        return (server, await server.RegisteredAsync(json));
    }

    [Fact]
    public async Task Registration_answers_a_256_bit_registration_access_token_and_the_client_configuration_uri()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;

        var token = registered.Text("registration_access_token");
        Assert.Equal(43, token.Length);
        Assert.Equal(32, Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.Equal($"{ParapetTestServer.Issuer}/register/{registered.Text("client_id")}", registered.Text("registration_client_uri"));
    }

    [Fact]
    public async Task The_registration_access_token_is_stored_only_as_its_sha256_in_the_database_file()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var token = registered.Text("registration_access_token");

        var rows = await server.ColumnAsync("clients", "Data");

        var row = Assert.Single(rows, r => r.Contains(registered.Text("client_id"), StringComparison.Ordinal));
        Assert.DoesNotContain(token, row, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token))), row, StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_with_the_token_reads_the_registration_without_secret_and_rotates_the_token()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;

        using var response = await server.ConfigurationAsync(HttpMethod.Get, registered.Text("client_id"), registered.Text("registration_access_token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var body = await response.JsonAsync();
        Assert.Equal(registered.Text("client_id"), body.Text("client_id"));
        Assert.Equal("RP", body.Text("client_name"));
        Assert.Equal(120, body["par_lifetime"]!.GetValue<int>());
        Assert.Equal(registered.Text("registration_client_uri"), body.Text("registration_client_uri"));
        Assert.False(body.ContainsKey("client_secret"));
        // RFC 7592 §3: the answer carries a registration access token; only hashes are kept, so it is a new one.
        var rotated = body.Text("registration_access_token");
        Assert.NotEqual(registered.Text("registration_access_token"), rotated);
        using var withOld = await server.ConfigurationAsync(HttpMethod.Get, registered.Text("client_id"), registered.Text("registration_access_token"));
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        using var withNew = await server.ConfigurationAsync(HttpMethod.Get, registered.Text("client_id"), rotated);
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
    }

    [Fact]
    public async Task Put_replaces_the_whole_metadata_keeps_id_and_secret_and_rotates_the_token()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var clientId = registered.Text("client_id");
        var token = registered.Text("registration_access_token");

        using var response = await server.ConfigurationAsync(HttpMethod.Put, clientId, token,
            $$"""{"client_id":"{{clientId}}","redirect_uris":["https://rp.example/new"],"client_name":"Renamed","registration_client_uri":"ignored"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Renamed", body.Text("client_name"));
        Assert.Equal(["https://rp.example/new"], body["redirect_uris"]!.AsArray().Select(u => u!.GetValue<string>()));
        // Omitted members are reset (RFC 7592 §2.2), not kept: par_lifetime and require_par were 120 and true.
        Assert.Equal(0, body["par_lifetime"]!.GetValue<int>());
        Assert.False(body["require_par"]!.GetValue<bool>());
        Assert.False(body.ContainsKey("client_secret"));
        using var push = await server.PushAsync(clientId, registered.Text("client_secret"), "https://rp.example/new");
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        using var read = await server.ConfigurationAsync(HttpMethod.Get, clientId, body.Text("registration_access_token"));
        Assert.Equal("Renamed", (await read.JsonAsync()).Text("client_name"));
        using var stale = await server.ConfigurationAsync(HttpMethod.Get, clientId, token);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
    }

    [Fact]
    public async Task Put_with_the_current_secret_is_accepted()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var clientId = registered.Text("client_id");

        using var response = await server.ConfigurationAsync(HttpMethod.Put, clientId, registered.Text("registration_access_token"),
            $$"""{"client_id":"{{clientId}}","client_secret":"{{registered.Text("client_secret")}}","redirect_uris":["https://rp.example/cb"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string> BadUpdates => new()
    {
        { """{"client_id":"{id}","client_secret":"another-secret-another-secret-0123","redirect_uris":["https://rp.example/cb"]}""", "invalid_client_metadata", "client_secret, when sent, must equal the client's current secret (RFC 7592 §2.2)." },
        { """{"redirect_uris":["https://rp.example/cb"]}""", "invalid_client_metadata", "client_id must be sent and equal the client being updated (RFC 7592 §2.2)." },
        { """{"client_id":"other","redirect_uris":["https://rp.example/cb"]}""", "invalid_client_metadata", "client_id must be sent and equal the client being updated (RFC 7592 §2.2)." },
        { """{"client_id":"{id}","redirect_uris":["http://rp.example/cb"]}""", "invalid_redirect_uri", "The redirect URI 'http://rp.example/cb' is not acceptable: use an absolute https URI (http only on 127.0.0.1, [::1] or localhost) without a fragment." },
        { """{"client_id":"{id}"}""", "invalid_redirect_uri", "redirect_uris is required for the authorization_code grant." },
        { """{"client_id":"{id}","redirect_uris":["https://rp.example/cb"],"scope":"openid parapet.admin"}""", "invalid_client_metadata", "The scope 'parapet.admin' is unknown or may not be registered." },
        { """{"client_id":"{id}","redirect_uris":["https://rp.example/cb"],"jwks_uri":"http://rp.example/jwks"}""", "invalid_client_metadata", "jwks_uri must be an absolute https URL without a fragment." },
        { """{"client_id":"{id}","redirect_uris":["https://rp.example/cb"],"software_statement":"x.y.z"}""", "invalid_software_statement", "Software statements are not accepted by this server." },
        { """not json""", "invalid_client_metadata", "The body must be a JSON object of client metadata (RFC 7591 §2)." },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task A_bad_update_is_400_with_the_rfc7591_error_and_changes_nothing(string json, string error, string description)
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var clientId = registered.Text("client_id");
        var token = registered.Text("registration_access_token");

        using var response = await server.ConfigurationAsync(HttpMethod.Put, clientId, token, json.Replace("{id}", clientId, StringComparison.Ordinal));

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, error);
        Assert.Equal(description, body.Text("error_description"));
        using var read = await server.ConfigurationAsync(HttpMethod.Get, clientId, token);
        Assert.Equal("RP", (await read.JsonAsync()).Text("client_name"));
    }

    [Fact]
    public async Task Put_cannot_make_the_client_trusted_or_enable_it_when_the_operator_disabled_it()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var clientId = registered.Text("client_id");
        using var admin = await server.CreateAdminClientAsync();
        using (var disable = await admin.PatchAsync($"/admin/v1/clients/{clientId}", new StringContent("""{"disabled":true}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        }

        using var response = await server.ConfigurationAsync(HttpMethod.Put, clientId, registered.Text("registration_access_token"),
            $$"""{"client_id":"{{clientId}}","redirect_uris":["https://rp.example/cb"],"trusted":true,"disabled":false}""");

        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body["trusted"]!.GetValue<bool>());
        Assert.True(body["disabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"redirect_uris":["https://rp.example/cb"],"redirect_uris":["https://rp.example/other"]}""")]
    [InlineData("""[{"redirect_uris":["https://rp.example/cb"]}]""")]
    [InlineData("null")]
    [InlineData("")]
    public async Task A_body_that_is_not_one_json_object_of_metadata_is_400_invalid_client_metadata(string json)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync();

        using var response = await server.RegisterAsync(json);

        var body = await response.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_client_metadata");
        Assert.Equal("The body must be a JSON object of client metadata (RFC 7591 §2).", body.Text("error_description"));
    }

    [Fact]
    public async Task Registration_cannot_make_a_client_trusted()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync();

        var registered = await server.RegisteredAsync("""{"redirect_uris":["https://rp.example/cb"],"trusted":true}""");

        Assert.False(registered["trusted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Delete_is_204_and_then_the_client_and_its_token_are_gone()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var clientId = registered.Text("client_id");
        var token = registered.Text("registration_access_token");

        using var response = await server.ConfigurationAsync(HttpMethod.Delete, clientId, token);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var read = await server.ConfigurationAsync(HttpMethod.Get, clientId, token);
        await read.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var push = await server.PushAsync(clientId, registered.Text("client_secret"), "https://rp.example/cb");
        await push.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_client");
    }

    public static TheoryData<string> Methods => new() { "GET", "PUT", "DELETE" };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task A_missing_wrong_or_other_clients_token_is_401_invalid_token_and_changes_nothing(string method)
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var other = await server.RegisteredAsync();
        var clientId = registered.Text("client_id");
        var body = $$"""{"client_id":"{{clientId}}","redirect_uris":["https://rp.example/cb"]}""";

        foreach (var token in new string?[] { null, "wrong", other.Text("registration_access_token"), registered.Text("client_secret") })
        {
            using var response = await server.ConfigurationAsync(new HttpMethod(method), clientId, token, method == "PUT" ? body : null);

            var error = await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_token");
            Assert.Equal("The registration access token is missing or not valid for this client.", error.Text("error_description"));
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        using var read = await server.ConfigurationAsync(HttpMethod.Get, clientId, registered.Text("registration_access_token"));
        Assert.Equal("RP", (await read.JsonAsync()).Text("client_name"));
    }

    [Fact]
    public async Task An_unknown_client_is_401_like_a_wrong_token()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;

        using var response = await server.ConfigurationAsync(HttpMethod.Get, "nope", registered.Text("registration_access_token"));

        await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task The_admin_client_and_admin_created_clients_cannot_be_managed_here(string method)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync();
        await server.CreateClientAsync("app");
        var adminId = AdminCredentials.Read(server.DataDir)!.ClientId;

        foreach (var (clientId, token) in new[] { ("app", ParapetTestServer.ClientSecret), (adminId, AdminCredentials.Read(server.DataDir)!.ClientSecret), ("app", "") })
        {
            using var response = await server.ConfigurationAsync(new HttpMethod(method), clientId, token, method == "PUT" ? $$"""{"client_id":"{{clientId}}","redirect_uris":["https://rp.example/cb"]}""" : null);

            await response.AssertOAuthErrorAsync(HttpStatusCode.Unauthorized, "invalid_token");
        }
        using var admin = await server.CreateAdminClientAsync();
        Assert.Equal(2, (await (await admin.GetAsync("/admin/v1/clients")).JsonArrayAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Management_is_403_while_dynamic_registration_is_disabled(string method)
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"dynamicRegistrationEnabled","value":false}]""");
        var clientId = registered.Text("client_id");

        using var response = await server.ConfigurationAsync(new HttpMethod(method), clientId, registered.Text("registration_access_token"),
            method == "PUT" ? $$"""{"client_id":"{{clientId}}","redirect_uris":["https://rp.example/cb"]}""" : null);

        await response.AssertOAuthErrorAsync(HttpStatusCode.Forbidden, "access_denied");
    }

    [Fact]
    public async Task Read_update_and_delete_are_audited_as_the_registration_actor_with_secrets_masked()
    {
        var (server, registered) = await RegisteredClientAsync();
        await using var _ = server;
        var clientId = registered.Text("client_id");
        var token = registered.Text("registration_access_token");
        using var read = await server.ConfigurationAsync(HttpMethod.Get, clientId, token);
        var afterRead = (await read.JsonAsync()).Text("registration_access_token");
        using var update = await server.ConfigurationAsync(HttpMethod.Put, clientId, afterRead, $$"""{"client_id":"{{clientId}}","redirect_uris":["https://rp.example/cb"]}""");
        var afterUpdate = (await update.JsonAsync()).Text("registration_access_token");
        (await server.ConfigurationAsync(HttpMethod.Delete, clientId, afterUpdate)).Dispose();

        var entries = await server.AuditAsync("?actor=registration&target=" + clientId);

        Assert.Equal(["client.delete", "client.update", "client.read", "client.register"], entries.Select(e => e!["action"]!.GetValue<string>()));
        Assert.DoesNotContain(entries, e => e!.ToJsonString().Contains(token, StringComparison.Ordinal)
            || e.ToJsonString().Contains(afterRead, StringComparison.Ordinal) || e.ToJsonString().Contains(afterUpdate, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e!.ToJsonString().Contains(registered.Text("client_secret"), StringComparison.Ordinal));
    }
}
