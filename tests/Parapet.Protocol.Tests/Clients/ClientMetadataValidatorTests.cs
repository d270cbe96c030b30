using System.Text.Json;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Tests.Fakes;

namespace Parapet.Protocol.Tests.Clients;

public sealed class ClientMetadataValidatorTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef"; // exactly 32
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly FakeSecretVault Vault = FakeSecretVault.Instance;

    /// <summary>A valid confidential web client; <paramref name="members"/> (JSON members) replace its defaults.</summary>
    private static ClientMetadata Metadata(string members = "")
    {
        var json = $$"""{"client_id":"app","client_secret":"{{Secret}}","redirect_uris":["https://client.example/cb"]{{(members.Length > 0 ? "," + members : "")}}}""";
        // A repeated member overrides the default (System.Text.Json keeps the last one).
        return JsonSerializer.Deserialize<ClientMetadata>(json)!;
    }

    private const string PublicJwks = """{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

    private static Checked<ValidatedClient> Validate(string members, Client? existing = null, bool allowAdminScope = false) =>
        ClientMetadataValidator.Validate(Metadata(members), existing, allowAdminScope, Now, Vault);

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
        { """ "token_endpoint_auth_method":"private_key_jwt" """, "token_endpoint_auth_method 'private_key_jwt' authenticates with the client's keys: register jwks or jwks_uri." },
        { """ "token_endpoint_auth_method":"self_signed_tls_client_auth" """, "token_endpoint_auth_method 'self_signed_tls_client_auth' authenticates with the client's keys: register jwks or jwks_uri." },
        { """ "token_endpoint_auth_method":"tls_client_auth" """, "token_endpoint_auth_method 'tls_client_auth' needs exactly one of: tls_client_auth_subject_dn, tls_client_auth_san_dns, tls_client_auth_san_uri, tls_client_auth_san_ip, tls_client_auth_san_email (RFC 8705 §2.1.2)." },
        { """ "token_endpoint_auth_method":"tls_client_auth", "tls_client_auth_subject_dn":"CN=a", "tls_client_auth_san_dns":"a.example" """, "Register exactly one certificate subject, not tls_client_auth_subject_dn and tls_client_auth_san_dns (RFC 8705 §2.1.2)." },
        { """ "token_endpoint_auth_method":"client_secret_basic", "tls_client_auth_san_dns":"a.example" """, "tls_client_auth_san_dns is for token_endpoint_auth_method 'tls_client_auth' only (RFC 8705 §2.1.2)." },
        { """ "token_endpoint_auth_method":"tls_client_auth", "tls_client_auth_subject_dn":"not a dn" """, "tls_client_auth_subject_dn must be a distinguished name in RFC 4514 form, e.g. 'CN=client,O=Example,C=SE'." },
        { """ "token_endpoint_auth_method":"tls_client_auth", "tls_client_auth_san_ip":"10.0.0.300" """, "tls_client_auth_san_ip must be an IPv4 or IPv6 address." },
        { """ "token_endpoint_auth_method":"tls_client_auth", "tls_client_auth_san_uri":"relative/path" """, "tls_client_auth_san_uri must be an absolute URI." },
        { $$""" "jwks":{{PublicJwks}}, "jwks_uri":"https://client.example/jwks" """, "jwks and jwks_uri must not both be present (RFC 7591 §2)." },
        { $$""" "token_endpoint_auth_method":"private_key_jwt", "jwks":{{PublicJwks}}, "jwks_uri":"https://client.example/jwks" """, "jwks and jwks_uri must not both be present (RFC 7591 §2)." },
        { """ "jwks_uri":"http://client.example/jwks" """, "jwks_uri must be an absolute https URL without a fragment." },
        { """ "jwks_uri":"https://client.example/jwks#k" """, "jwks_uri must be an absolute https URL without a fragment." },
        { """ "jwks_uri":"/jwks" """, "jwks_uri must be an absolute https URL without a fragment." },
        { """ "token_endpoint_auth_method":"private_key_jwt", "jwks_uri":"http://client.example/jwks" """, "jwks_uri must be an absolute https URL without a fragment." },
        { """ "jwks":{"keys":[]} """, "jwks must be a JSON Web Key Set: an object whose 'keys' member is a non-empty array (RFC 7517 §5)." },
        { """ "jwks":[] """, "jwks must be a JSON Web Key Set: an object whose 'keys' member is a non-empty array (RFC 7517 §5)." },
        { """ "jwks":{"keys":[{"n":"x"}]} """, "Every key in jwks must be a JSON object with a 'kty' member (RFC 7517 §4)." },
        { """ "jwks":{"keys":[{"kty":"oct","k":"c2VjcmV0"}]} """, "jwks must contain public keys only; never send a private or symmetric key." },
        { """ "jwks":{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}]} """, "jwks must contain public keys only; never send a private or symmetric key." },
        { """ "grant_types":["refresh_token"], "response_types":[] """, "grant_type 'refresh_token' goes with 'authorization_code': refresh tokens are only issued with a code." },
        { """ "grant_types":["client_credentials","refresh_token"], "response_types":[], "redirect_uris":[] """, "grant_type 'refresh_token' goes with 'authorization_code': refresh tokens are only issued with a code." },
        { """ "token_endpoint_auth_method":"bogus" """, "token_endpoint_auth_method 'bogus' is not supported; use one of: client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, tls_client_auth, self_signed_tls_client_auth, none." },
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
    public void A_client_secret_jwt_client_keeps_its_secret_protected_besides_the_hash()
    {
        var client = Validate(""" "token_endpoint_auth_method":"client_secret_jwt" """).Value!.Client;

        Assert.Equal("sealed:" + Secret, client.ProtectedSecret);
        Assert.True(ClientSecrets.Matches(client.SecretHash, Secret));
    }

    [Fact]
    public void Other_methods_store_no_recoverable_secret()
    {
        Assert.Null(Validate("").Value!.Client.ProtectedSecret);
        Assert.Null(Validate($$""" "token_endpoint_auth_method":"private_key_jwt", "jwks":{{PublicJwks}} """).Value!.Client.ProtectedSecret);
    }

    [Fact]
    public void Switching_to_client_secret_jwt_issues_a_new_secret_because_only_a_hash_of_the_old_one_exists()
    {
        var existing = Validate("").Value!.Client;

        var switched = ClientMetadataValidator.Validate(new ClientMetadata { TokenEndpointAuthMethod = "client_secret_jwt" }, existing, false, Now, Vault).Value!;

        Assert.NotNull(switched.IssuedSecret);
        Assert.Equal("sealed:" + switched.IssuedSecret, switched.Client.ProtectedSecret);
        Assert.True(ClientSecrets.Matches(switched.Client.SecretHash, switched.IssuedSecret));
    }

    [Fact]
    public void Switching_away_from_client_secret_jwt_drops_the_recoverable_copy()
    {
        var existing = Validate(""" "token_endpoint_auth_method":"client_secret_jwt" """).Value!.Client;

        var switched = ClientMetadataValidator.Validate(new ClientMetadata { TokenEndpointAuthMethod = "client_secret_basic" }, existing, false, Now, Vault).Value!;

        Assert.Null(switched.IssuedSecret);
        Assert.Null(switched.Client.ProtectedSecret);
        Assert.Equal(existing.SecretHash, switched.Client.SecretHash);
    }

    [Fact]
    public void A_registration_update_keeps_a_client_secret_jwt_clients_protected_secret()
    {
        var existing = Validate(""" "token_endpoint_auth_method":"client_secret_jwt" """).Value!.Client;

        var replaced = ClientMetadataValidator.Replace(
            new ClientMetadata { RedirectUris = ["https://client.example/cb"], TokenEndpointAuthMethod = "client_secret_jwt" }, existing, Now, Vault).Value!;

        Assert.Null(replaced.IssuedSecret);
        Assert.Equal(existing.ProtectedSecret, replaced.Client.ProtectedSecret);
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

        var updated = ClientMetadataValidator.Validate(update, existing, allowAdminScope: false, Now.AddDays(1), Vault).Value!;

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

        var updated = ClientMetadataValidator.Validate(new ClientMetadata { TokenEndpointAuthMethod = "none" }, existing, false, Now, Vault).Value!;

        Assert.Null(updated.Client.SecretHash);
    }

    [Fact]
    public void Jwks_is_kept_as_registered_and_published_back()
    {
        var result = Validate($$""" "jwks":{{PublicJwks}} """);

        Assert.False(result.Failed, result.Error?.Description);
        Assert.Equal(PublicJwks, result.Value!.Client.Jwks);
        Assert.Null(result.Value.Client.JwksUri);
        Assert.Equal(PublicJwks, ClientMetadata.From(result.Value.Client).Jwks!.Value.GetRawText());
    }

    [Fact]
    public void An_update_may_switch_from_jwks_to_jwks_uri_and_otherwise_keeps_the_stored_keys()
    {
        var existing = Validate($$""" "jwks":{{PublicJwks}} """).Value!.Client;

        var kept = ClientMetadataValidator.Validate(new ClientMetadata { ClientName = "x" }, existing, false, Now, Vault).Value!.Client;
        var switched = ClientMetadataValidator.Validate(new ClientMetadata { JwksUri = "https://client.example/jwks" }, existing, false, Now, Vault).Value!.Client;

        Assert.Equal(PublicJwks, kept.Jwks);
        Assert.Null(switched.Jwks);
        Assert.Equal("https://client.example/jwks", switched.JwksUri);
    }

    [Fact]
    public void Refresh_token_with_authorization_code_is_accepted()
    {
        var result = Validate(""" "grant_types":["authorization_code","refresh_token"] """);

        Assert.False(result.Failed, result.Error?.Description);
    }

    [Fact]
    public void A_replacement_resets_what_it_leaves_out_and_keeps_the_identity_secret_and_operator_switches()
    {
        var existing = Validate(""" "client_name":"Old", "par_lifetime":90, "require_par":true, "trusted":true, "disabled":true """).Value!.Client
            with { RegistrationAccessTokenHash = [1, 2, 3] };
        var update = new ClientMetadata { ClientId = "someone-else", RedirectUris = ["https://client.example/new"], Trusted = false, Disabled = false };

        var replaced = ClientMetadataValidator.Replace(update, existing, Now.AddDays(1), Vault).Value!;

        Assert.Null(replaced.IssuedSecret);
        Assert.Equal("app", replaced.Client.ClientId);
        Assert.Equal(existing.SecretHash, replaced.Client.SecretHash);
        Assert.Equal(existing.CreatedAt, replaced.Client.CreatedAt);
        Assert.Equal(existing.Version + 1, replaced.Client.Version);
        Assert.Equal(existing.RegistrationAccessTokenHash, replaced.Client.RegistrationAccessTokenHash);
        Assert.Equal(["https://client.example/new"], replaced.Client.RedirectUris);
        Assert.Null(replaced.Client.ClientName);
        Assert.Null(replaced.Client.ParLifetime);
        Assert.False(replaced.Client.RequirePar);
        Assert.True(replaced.Client.Trusted);
        Assert.True(replaced.Client.Disabled);
    }

    [Fact]
    public void A_replacement_that_makes_a_public_client_confidential_issues_a_secret_once()
    {
        var existing = Validate(""" "token_endpoint_auth_method":"none", "client_secret":null """).Value!.Client;

        var replaced = ClientMetadataValidator.Replace(new ClientMetadata { RedirectUris = ["https://client.example/cb"] }, existing, Now, Vault).Value!;

        Assert.True(ClientSecrets.Matches(replaced.Client.SecretHash, replaced.IssuedSecret));
    }

    [Fact]
    public void A_replacement_is_validated_like_a_registration_and_never_grants_the_admin_scope()
    {
        var existing = Validate("").Value!.Client;

        var result = ClientMetadataValidator.Replace(new ClientMetadata { RedirectUris = ["https://client.example/cb"], Scope = "openid parapet.admin" }, existing, Now, Vault);

        Assert.Equal(OAuthErrors.ClientMetadata("The scope 'parapet.admin' is unknown or may not be registered."), result.Error);
    }
}
