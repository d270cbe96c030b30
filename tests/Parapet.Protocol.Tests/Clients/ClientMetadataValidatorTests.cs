using System.Text.Json;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Tests.Clients;

public sealed class ClientMetadataValidatorTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef"; // exactly 32
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A valid confidential web client; <paramref name="members"/> (JSON members) replace its defaults.</summary>
    private static ClientMetadata Metadata(string members = "")
    {
        var json = $$"""{"client_id":"app","client_secret":"{{Secret}}","redirect_uris":["https://client.example/cb"]{{(members.Length > 0 ? "," + members : "")}}}""";
        // A repeated member overrides the default (System.Text.Json keeps the last one).
        return JsonSerializer.Deserialize<ClientMetadata>(json)!;
    }

    private static Checked<ValidatedClient> Validate(string members, Client? existing = null, bool allowAdminScope = false) =>
        ClientMetadataValidator.Validate(Metadata(members), existing, allowAdminScope, Now);

    [Theory]
    [InlineData("https://client.example/cb")]
    [InlineData("https://client.example:8443/cb?tenant=1")]
    [InlineData("http://127.0.0.1/cb")]
    [InlineData("http://127.0.0.1:51000/cb")]
    [InlineData("http://[::1]:8080/cb")]
    [InlineData("http://localhost:3000/cb")]
    public void Https_and_loopback_http_redirect_uris_are_accepted(string uri)
    {
        var result = Validate($$"""  "redirect_uris":["{{uri}}"]  """);

        Assert.False(result.Failed, result.Error?.Description);
        Assert.Equal([uri], result.Value!.Client.RedirectUris);
    }

    [Theory]
    [InlineData("http://client.example/cb")]
    [InlineData("http://127.0.0.2.example/cb")]
    [InlineData("http://localhost.example/cb")]
    [InlineData("https://client.example/cb#section")]
    [InlineData("https://client.example/cb#")]
    [InlineData("/cb")]
    [InlineData("client.example/cb")]
    [InlineData("ftp://client.example/cb")]
    [InlineData("javascript:alert(1)")]
    [InlineData("com.example.app:/cb")]
    [InlineData("")]
    public void Other_redirect_uris_are_invalid_redirect_uri_naming_the_uri(string uri)
    {
        var result = Validate($$"""  "redirect_uris":["https://client.example/ok","{{uri}}"]  """);

        Assert.Equal(OAuthErrors.InvalidRedirectUri, result.Error!.Code);
        Assert.Contains($"'{uri}'", result.Error.Description, StringComparison.Ordinal);
        Assert.Equal(400, result.Error.Status);
    }

    [Fact]
    public void The_code_grant_needs_at_least_one_redirect_uri()
    {
        var result = Validate("""  "redirect_uris":[]  """);

        Assert.Equal(OAuthErrors.ClientRedirectUri("redirect_uris is required for the authorization_code grant."), result.Error);
    }

    [Fact]
    public void A_client_credentials_client_needs_no_redirect_uri()
    {
        var result = Validate("""  "redirect_uris":[], "grant_types":["client_credentials"]  """);

        Assert.False(result.Failed, result.Error?.Description);
        Assert.Empty(result.Value!.Client.ResponseTypes);
    }

    public static TheoryData<string, string> InvalidMetadata => new()
    {
        { """ "token_endpoint_auth_method":"private_key_jwt" """, "token_endpoint_auth_method 'private_key_jwt' is not supported; use one of: client_secret_basic, client_secret_post, none." },
        { """ "token_endpoint_auth_method":"client_secret_jwt" """, "token_endpoint_auth_method 'client_secret_jwt' is not supported; use one of: client_secret_basic, client_secret_post, none." },
        { """ "token_endpoint_auth_method":"bogus" """, "token_endpoint_auth_method 'bogus' is not supported; use one of: client_secret_basic, client_secret_post, none." },
        { """ "grant_types":["authorization_code","implicit"] """, "grant_type 'implicit' is not supported." },
        { """ "grant_types":["password"] """, "grant_type 'password' is not supported." },
        { """ "token_endpoint_auth_method":"none", "client_secret":null, "grant_types":["client_credentials"] """, "A public client (token_endpoint_auth_method 'none') cannot use the client_credentials grant." },
        { """ "response_types":["token"] """, "Only response_type 'code' is supported." },
        { """ "response_types":["code","id_token"] """, "Only response_type 'code' is supported." },
        { """ "grant_types":["client_credentials"], "response_types":["code"] """, "grant_types and response_types disagree: 'authorization_code' goes with response_type 'code' (RFC 7591 §2.1)." },
        { """ "grant_types":["authorization_code"], "response_types":[] """, "grant_types and response_types disagree: 'authorization_code' goes with response_type 'code' (RFC 7591 §2.1)." },
        { """ "application_type":"desktop" """, "application_type must be 'web' or 'native'." },
        { """ "scope":"openid bogus" """, "The scope 'bogus' is unknown or may not be registered." },
        { """ "scope":"openid parapet.admin" """, "The scope 'parapet.admin' is unknown or may not be registered." },
        { """ "par_lifetime":4 """, "par_lifetime must be between 5 and 3600 seconds (0 or absent: the server's defaultParLifetime)." },
        { """ "par_lifetime":3601 """, "par_lifetime must be between 5 and 3600 seconds (0 or absent: the server's defaultParLifetime)." },
        { """ "par_lifetime":-1 """, "par_lifetime must be between 5 and 3600 seconds (0 or absent: the server's defaultParLifetime)." },
        { """ "require_par":true, "require_pushed_authorization_requests":false """, "require_par and require_pushed_authorization_requests are the same switch and must agree." },
        { """ "require_par":false, "require_pushed_authorization_requests":true """, "require_par and require_pushed_authorization_requests are the same switch and must agree." },
        { """ "client_secret":"0123456789abcdef0123456789abcde" """, "client_secret must be at least 32 characters." },
        { """ "client_secret":"" """, "client_secret must be at least 32 characters." },
        { """ "token_endpoint_auth_method":"none" """, "A public client (token_endpoint_auth_method 'none') has no client_secret." },
        { """ "client_id":"" """, "client_id must be 1 to 128 visible characters." },
        { """ "client_id":"my app" """, "client_id must be 1 to 128 visible characters." },
        { """ "client_id":"app\n" """, "client_id must be 1 to 128 visible characters." },
        { $$""" "client_id":"{{new string('a', 129)}}" """, "client_id must be 1 to 128 visible characters." },
    };

    [Theory]
    [MemberData(nameof(InvalidMetadata))]
    public void Invalid_metadata_is_invalid_client_metadata_with_a_precise_description(string members, string description)
    {
        var result = Validate(members);

        Assert.Equal(OAuthErrors.ClientMetadata(description), result.Error);
    }

    [Fact]
    public void The_admin_api_may_grant_the_admin_scope()
    {
        var result = Validate(""" "scope":"parapet.admin", "grant_types":["client_credentials"], "redirect_uris":[] """, allowAdminScope: true);

        Assert.Equal([ScopeCatalog.Admin], result.Value!.Client.Scopes);
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData("3600", 3600)]
    [InlineData("90", 90)]
    [InlineData("0", null)]
    [InlineData("null", null)]
    public void Par_lifetime_from_5_to_3600_is_kept_and_0_means_the_server_default(string value, int? stored)
    {
        var result = Validate($$""" "par_lifetime":{{value}} """);

        Assert.False(result.Failed, result.Error?.Description);
        Assert.Equal(stored, result.Value!.Client.ParLifetime);
    }

    [Theory]
    [InlineData(""" "require_par":true """, true)]
    [InlineData(""" "require_pushed_authorization_requests":true """, true)]
    [InlineData(""" "require_par":true, "require_pushed_authorization_requests":true """, true)]
    [InlineData(""" "require_par":false, "require_pushed_authorization_requests":false """, false)]
    [InlineData(""" "require_par":false """, false)]
    [InlineData("", false)]
    public void Require_par_and_require_pushed_authorization_requests_are_one_switch(string members, bool requirePar)
    {
        var result = Validate(members);

        Assert.Equal(requirePar, result.Value!.Client.RequirePar);
        var published = ClientMetadata.From(result.Value.Client);
        Assert.Equal(requirePar, published.RequirePar);
        Assert.Equal(requirePar, published.RequirePushedAuthorizationRequests);
    }

    [Fact]
    public void An_operator_secret_of_32_characters_is_stored_as_its_hash_and_not_echoed()
    {
        var result = Validate("");

        Assert.Null(result.Value!.IssuedSecret);
        Assert.True(ClientSecrets.Matches(result.Value.Client.SecretHash, Secret));
        Assert.Null(ClientMetadata.From(result.Value.Client).ClientSecret);
    }

    [Fact]
    public void A_confidential_client_without_a_secret_gets_a_generated_256_bit_one()
    {
        var result = Validate(""" "client_secret":null """);

        var issued = result.Value!.IssuedSecret!;
        Assert.Equal(43, issued.Length);
        Assert.True(ClientSecrets.Matches(result.Value.Client.SecretHash, issued));
    }

    [Fact]
    public void A_public_client_without_a_secret_has_no_secret_at_all()
    {
        var result = Validate(""" "token_endpoint_auth_method":"none", "client_secret":null """);

        Assert.False(result.Failed, result.Error?.Description);
        Assert.True(result.Value!.Client.IsPublic);
        Assert.Null(result.Value.Client.SecretHash);
        Assert.Null(result.Value.IssuedSecret);
    }

    [Fact]
    public void A_server_assigned_client_id_is_22_characters()
    {
        var result = Validate(""" "client_id":null """);

        Assert.Equal(22, result.Value!.Client.ClientId.Length);
    }

    [Fact]
    public void Defaults_are_the_code_flow_for_a_web_client()
    {
        var client = Validate("").Value!.Client;

        Assert.Equal("app", client.ClientId);
        Assert.Equal(ClientAuthMethods.ClientSecretBasic, client.TokenEndpointAuthMethod);
        Assert.Equal([GrantTypeNames.AuthorizationCode, GrantTypeNames.RefreshToken], client.GrantTypes);
        Assert.Equal(["code"], client.ResponseTypes);
        Assert.Equal(ScopeCatalog.DefaultForClients, client.Scopes);
        Assert.Equal("web", client.ApplicationType);
        Assert.Equal(Now, client.CreatedAt);
        Assert.Equal(1, client.Version);
    }

    [Fact]
    public void An_update_keeps_the_stored_secret_id_and_creation_time_and_bumps_the_version()
    {
        var existing = Validate("").Value!.Client;
        var update = new ClientMetadata { ClientName = "Renamed", ParLifetime = 60 };

        var updated = ClientMetadataValidator.Validate(update, existing, allowAdminScope: false, Now.AddDays(1)).Value!;

        Assert.Null(updated.IssuedSecret);
        Assert.Equal(existing.SecretHash, updated.Client.SecretHash);
        Assert.Equal("app", updated.Client.ClientId);
        Assert.Equal(existing.CreatedAt, updated.Client.CreatedAt);
        Assert.Equal(existing.RedirectUris, updated.Client.RedirectUris);
        Assert.Equal("Renamed", updated.Client.ClientName);
        Assert.Equal(60, updated.Client.ParLifetime);
        Assert.Equal(existing.Version + 1, updated.Client.Version);
    }

    [Fact]
    public void An_update_that_makes_a_client_public_drops_its_secret()
    {
        var existing = Validate("").Value!.Client;

        var updated = ClientMetadataValidator.Validate(new ClientMetadata { TokenEndpointAuthMethod = "none" }, existing, false, Now).Value!;

        Assert.Null(updated.Client.SecretHash);
    }
}
