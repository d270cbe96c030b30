using System.Text.Json;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Tests.Fakes;

namespace Parapet.Protocol.Tests.Fapi;

/// <summary>FAPI 2.0 §5.3.2.1 at registration: a client under the profile authenticates with private_key_jwt or mutual TLS.</summary>
public sealed class FapiClientMetadataTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private const string Jwks = """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

    private static ClientMetadata Metadata(string method, bool? fapi, string scope = "openid profile")
    {
        var flag = fapi is null ? "" : $""","fapi_compatibility":{(fapi.Value ? "true" : "false")}""";
        var secret = method is "none" or "private_key_jwt" ? "" : ""","client_secret":"0123456789abcdef0123456789abcdef" """;
        return JsonSerializer.Deserialize<ClientMetadata>(
            $$"""{"client_id":"app","redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"{{method}}","jwks":{{Jwks}},"scope":"{{scope}}"{{secret}}{{flag}}}""")!;
    }

    private static string Refusal(string method, bool clientFlag) =>
        $"FAPI 2.0 requires token_endpoint_auth_method private_key_jwt, tls_client_auth, self_signed_tls_client_auth; '{method}' is not allowed"
        + (clientFlag ? " for a client with fapi_compatibility." : " while the server's fapiCompatibility is on.");

    [Theory]
    // method, client flag, server switch → refused?
    [InlineData("client_secret_basic", true, false, true)]
    [InlineData("client_secret_post", true, false, true)]
    [InlineData("client_secret_jwt", true, false, true)]
    [InlineData("none", true, false, true)]
    [InlineData("private_key_jwt", true, false, false)]
    [InlineData("client_secret_basic", false, true, true)]
    [InlineData("none", null, true, true)]
    [InlineData("private_key_jwt", null, true, false)]
    [InlineData("client_secret_basic", false, false, false)]
    [InlineData("none", null, false, false)]
    public void A_new_fapi_client_must_use_private_key_jwt_or_mutual_tls(string method, bool? flag, bool server, bool refused)
    {
        var result = ClientMetadataValidator.Validate(Metadata(method, flag), null, allowAdminScope: false, Now, FakeSecretVault.Instance, fapiServer: server);

        Assert.Equal(refused ? OAuthErrors.ClientMetadata(Refusal(method, flag == true)) : null, result.Error);
        if (!refused)
        {
            Assert.Equal(flag == true, result.Value!.Client.FapiCompatibility);
        }
    }

    [Fact]
    public void The_flag_is_kept_on_update_and_shown_in_the_metadata()
    {
        var created = ClientMetadataValidator.Validate(Metadata("private_key_jwt", true), null, false, Now, FakeSecretVault.Instance).Value!.Client;

        var updated = ClientMetadataValidator.Validate(new ClientMetadata { ClientName = "renamed" }, created, false, Now, FakeSecretVault.Instance);

        Assert.True(updated.Value!.Client.FapiCompatibility);
        Assert.True(ClientMetadata.From(updated.Value.Client).FapiCompatibility);
    }

    [Fact]
    public void Turning_the_flag_on_for_a_client_secret_client_is_refused()
    {
        var created = ClientMetadataValidator.Validate(Metadata("client_secret_basic", null), null, false, Now, FakeSecretVault.Instance).Value!.Client;

        var updated = ClientMetadataValidator.Validate(new ClientMetadata { FapiCompatibility = true }, created, false, Now, FakeSecretVault.Instance);

        Assert.Equal(OAuthErrors.ClientMetadata(Refusal("client_secret_basic", clientFlag: true)), updated.Error);
    }

    /// <summary>The server switch holds new clients to the profile, but existing ones are refused per request, not on every edit.</summary>
    [Fact]
    public void Under_the_server_switch_an_existing_client_secret_client_can_still_be_edited()
    {
        var created = ClientMetadataValidator.Validate(Metadata("client_secret_basic", null), null, false, Now, FakeSecretVault.Instance).Value!.Client;

        var updated = ClientMetadataValidator.Validate(new ClientMetadata { ClientName = "renamed" }, created, false, Now, FakeSecretVault.Instance, fapiServer: true);

        Assert.False(updated.Failed, updated.Error?.Description);
    }

    [Fact]
    public void Under_the_server_switch_an_admin_client_with_a_secret_can_still_be_created()
    {
        var metadata = Metadata("client_secret_basic", null, scope: "parapet.admin") with { GrantTypes = ["client_credentials"], ResponseTypes = [], RedirectUris = [] };

        var result = ClientMetadataValidator.Validate(metadata, null, allowAdminScope: true, Now, FakeSecretVault.Instance, fapiServer: true);

        Assert.False(result.Failed, result.Error?.Description);
    }
}
