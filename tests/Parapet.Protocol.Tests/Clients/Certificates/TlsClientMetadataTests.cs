using System.Text.Json;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Clients.Certificates;
using Parapet.Protocol.Tests.Fakes;

namespace Parapet.Protocol.Tests.Clients.Certificates;

/// <summary>RFC 8705 §2.1.2 and §3.4 client metadata: validated, stored and published back.</summary>
public sealed class TlsClientMetadataTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static Client Valid(string json, Client? existing = null)
    {
        var result = ClientMetadataValidator.Validate(JsonSerializer.Deserialize<ClientMetadata>(json)!, existing, false, Now, FakeSecretVault.Instance);
        Assert.Null(result.Error);
        return result.Value!.Client;
    }

    private const string Base = """ "client_id":"app","redirect_uris":["https://client.example/cb"] """;

    [Theory]
    [InlineData("tls_client_auth_subject_dn", "CN=app,O=Example")]
    [InlineData("tls_client_auth_san_dns", "app.example")]
    [InlineData("tls_client_auth_san_uri", "spiffe://example/app")]
    [InlineData("tls_client_auth_san_ip", "2001:db8::1")]
    [InlineData("tls_client_auth_san_email", "ops@example.com")]
    public void A_tls_client_auth_client_keeps_its_one_subject_and_publishes_it_back(string field, string value)
    {
        var client = Valid($$"""{ {{Base}}, "token_endpoint_auth_method":"tls_client_auth", "{{field}}":"{{value}}" }""");

        Assert.Equal(new TlsClientAuthSubject(field, value), client.TlsClientAuthSubject);
        var published = JsonSerializer.SerializeToElement(ClientMetadata.From(client));
        Assert.Equal(value, published.GetProperty(field).GetString());
        Assert.Single(TlsClientAuthSubject.Fields, f => published.GetProperty(f).ValueKind == JsonValueKind.String);
    }

    [Fact]
    public void An_update_keeps_the_subject_and_a_switch_to_another_method_drops_it()
    {
        var client = Valid($$"""{ {{Base}}, "token_endpoint_auth_method":"tls_client_auth", "tls_client_auth_san_dns":"app.example" }""");

        var renamed = Valid("""{ "client_name":"App" }""", client);
        var switched = Valid("""{ "token_endpoint_auth_method":"client_secret_basic" }""", renamed);

        Assert.Equal("app.example", renamed.TlsClientAuthSubject?.Value);
        Assert.Null(switched.TlsClientAuthSubject);
    }

    [Fact]
    public void Self_signed_tls_client_auth_with_a_jwks_uri_is_accepted()
    {
        var client = Valid($$"""{ {{Base}}, "token_endpoint_auth_method":"self_signed_tls_client_auth", "jwks_uri":"https://client.example/jwks" }""");

        Assert.Equal(ClientAuthMethods.SelfSignedTlsClientAuth, client.TokenEndpointAuthMethod);
    }

    [Fact]
    public void Certificate_bound_access_tokens_are_off_unless_asked_for_and_kept_on_update()
    {
        var plain = Valid($$"""{ {{Base}} }""");
        var bound = Valid($$"""{ {{Base}}, "tls_client_certificate_bound_access_tokens":true }""");
        var updated = Valid("""{ "client_name":"App" }""", bound);

        Assert.False(plain.TlsClientCertificateBoundAccessTokens);
        Assert.True(updated.TlsClientCertificateBoundAccessTokens);
        Assert.True(JsonSerializer.SerializeToElement(ClientMetadata.From(updated)).GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
    }
}
