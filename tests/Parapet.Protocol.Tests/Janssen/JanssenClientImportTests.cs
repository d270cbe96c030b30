using System.Text.Json.Nodes;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Janssen;

namespace Parapet.Protocol.Tests.Janssen;

public sealed class JanssenClientImportTests
{
    private const string JanssenClient = """
        {
          "inum": "1800.2f2c1b1e",
          "displayName": "Shop",
          "clientSecret": "0123456789abcdef0123456789abcdef-x",
          "redirectUris": ["https://shop.example/cb"],
          "responseTypes": ["code"],
          "grantTypes": ["authorization_code", "refresh_token"],
          "applicationType": "web",
          "tokenEndpointAuthMethod": "client_secret_post",
          "trustedClient": true,
          "scopes": ["inum=F0C4,ou=scopes,o=jans"],
          "frontChannelLogoutSessionRequired": false,
          "attributes": { "parLifetime": 120, "requirePar": true, "runIntrospectionScriptBeforeJwtCreation": false }
        }
        """;

    [Fact]
    public void Par_lifetime_and_require_par_come_from_attributes()
    {
        var import = JanssenClientImport.Map(JsonNode.Parse(JanssenClient)!.AsObject());
        var client = ClientMetadataValidator.Validate(import.Metadata, null, allowAdminScope: false, DateTimeOffset.UnixEpoch, Fakes.FakeSecretVault.Instance);

        Assert.False(client.Failed, client.Error?.Description);
        var c = client.Value!.Client;
        Assert.Equal("1800.2f2c1b1e", c.ClientId);
        Assert.Equal(120, c.ParLifetime);
        Assert.True(c.RequirePar);
        Assert.True(c.Trusted);
        Assert.Equal(ClientAuthMethods.ClientSecretPost, c.TokenEndpointAuthMethod);
        Assert.True(ClientSecrets.Matches(c.SecretHash, "0123456789abcdef0123456789abcdef-x"));
    }

    [Fact]
    public void What_cannot_be_carried_over_is_reported()
    {
        var import = JanssenClientImport.Map(JsonNode.Parse(JanssenClient)!.AsObject());

        Assert.Contains(import.Ignored, i => i.Name == "scopes");
        Assert.Contains(import.Ignored, i => i.Name == "frontChannelLogoutSessionRequired");
        Assert.Contains(import.Ignored, i => i.Name == "attributes.runIntrospectionScriptBeforeJwtCreation");
    }

    [Fact]
    public void Zero_par_lifetime_means_the_server_default_as_in_Janssen()
    {
        var import = JanssenClientImport.Map(JsonNode.Parse("""{"inum":"a","redirectUris":["https://a.example/cb"],"attributes":{"parLifetime":0}}""")!.AsObject());
        var client = ClientMetadataValidator.Validate(import.Metadata, null, allowAdminScope: false, DateTimeOffset.UnixEpoch, Fakes.FakeSecretVault.Instance);

        Assert.Null(client.Value!.Client.ParLifetime);
    }

    [Fact]
    public void A_tls_client_auth_client_keeps_its_subject_dn_and_a_self_signed_one_its_jwks()
    {
        var pki = JanssenClientImport.Map(JsonNode.Parse("""
            {"inum":"p","redirectUris":["https://a.example/cb"],"tokenEndpointAuthMethod":"tls_client_auth",
             "attributes":{"tlsClientAuthSubjectDn":"CN=shop,O=Example"}}
            """)!.AsObject());
        var selfSigned = JanssenClientImport.Map(JsonNode.Parse("""
            {"inum":"s","redirectUris":["https://a.example/cb"],"tokenEndpointAuthMethod":"self_signed_tls_client_auth",
             "jwks":"{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\",\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}"}
            """)!.AsObject());

        var pkiClient = ClientMetadataValidator.Validate(pki.Metadata, null, allowAdminScope: false, DateTimeOffset.UnixEpoch, Fakes.FakeSecretVault.Instance);
        var selfSignedClient = ClientMetadataValidator.Validate(selfSigned.Metadata, null, allowAdminScope: false, DateTimeOffset.UnixEpoch, Fakes.FakeSecretVault.Instance);

        Assert.Equal("CN=shop,O=Example", pkiClient.Value!.Client.TlsClientAuthSubject?.Value);
        Assert.DoesNotContain(pki.Ignored, i => i.Name == "attributes.tlsClientAuthSubjectDn");
        Assert.NotNull(selfSignedClient.Value!.Client.Jwks);
        Assert.Empty(selfSigned.Ignored);
    }
}
