using Parapet.Server.Tests.Cli;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.Registration;

namespace Parapet.Server.Tests.Mtls;

/// <summary>The RFC 8705 client metadata through the operator's and the registrant's surfaces: the CLI and RFC 7591 registration.</summary>
public sealed class TlsClientMetadataSurfaceTests
{
    [Fact]
    public async Task Clients_add_with_tls_client_auth_and_a_subject_dn_registers_them_and_update_can_bind_tokens()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var added = await CliRun.AgainstAsync(server, "clients", "add", "--client-id", "pki", "--redirect-uri", ParapetTestServer.RedirectUri,
            "--auth-method", "tls_client_auth", "--tls-subject-dn", "CN=pki,O=Example", "--json");
        var updated = await CliRun.AgainstAsync(server, "clients", "update", "pki", "--certificate-bound-tokens", "--json");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal("CN=pki,O=Example", added.Json["tls_client_auth_subject_dn"]!.GetValue<string>());
        Assert.Equal("tls_client_auth", added.Json["token_endpoint_auth_method"]!.GetValue<string>());
        Assert.Equal(0, updated.ExitCode);
        Assert.True(updated.Json["tls_client_certificate_bound_access_tokens"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Clients_add_with_tls_client_auth_and_no_subject_fails_with_the_servers_message()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "clients", "add", "--client-id", "pki", "--redirect-uri", ParapetTestServer.RedirectUri, "--auth-method", "tls_client_auth");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("token_endpoint_auth_method 'tls_client_auth' needs exactly one of", result.Error);
    }

    [Fact]
    public async Task Dynamic_registration_accepts_tls_client_auth_metadata_and_returns_it()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.EnableAsync();

        var body = await server.RegisteredAsync("""
            {"redirect_uris":["https://rp.example/cb"],"token_endpoint_auth_method":"tls_client_auth",
             "tls_client_auth_san_uri":"spiffe://example/shop","tls_client_certificate_bound_access_tokens":true}
            """);

        Assert.Equal("spiffe://example/shop", body["tls_client_auth_san_uri"]!.GetValue<string>());
        Assert.True(body["tls_client_certificate_bound_access_tokens"]!.GetValue<bool>());
        Assert.Null(body["tls_client_auth_subject_dn"]);
    }
}
