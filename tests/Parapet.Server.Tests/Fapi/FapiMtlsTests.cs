using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.JwtAuth;
using Parapet.Server.Tests.Mtls;
using static Parapet.Server.Tests.Mtls.MtlsSteps;

namespace Parapet.Server.Tests.Fapi;

/// <summary>
/// FAPI 2.0 with mutual TLS (RFC 8705) over real TLS: §5.3.2.1 allows tls_client_auth and self_signed_tls_client_auth and accepts
/// certificate-bound tokens as the sender constraint, without DPoP; client secrets stay refused even with a certificate.
/// </summary>
public sealed class FapiMtlsTests
{
    private const string ClientId = "fapi-mtls";

    public static TheoryData<string, FapiMode> MtlsClients() => new()
    {
        { "tls_client_auth", FapiMode.Server },
        { "tls_client_auth", FapiMode.Client },
        { "self_signed_tls_client_auth", FapiMode.Server },
        { "self_signed_tls_client_auth", FapiMode.Client },
    };

    /// <summary>A Kestrel server trusting the test CA, a user, the client, then the <paramref name="mode"/>'s switch.</summary>
    private static async Task<ParapetTestServer> ServerWithClientAsync(FapiMode mode, string method, JsonObject metadata)
    {
        var server = await ServerAsync();
        metadata["fapi_compatibility"] = mode == FapiMode.Client;
        await server.CreateMtlsClientAsync(ClientId, method, metadata);
        await server.CreateUserAsync(Steps.Username);
        await server.SwitchOnAsync(mode);
        return server;
    }

    /// <summary>The registration for <paramref name="method"/> and the certificate the client presents.</summary>
    private static (JsonObject Metadata, X509Certificate2 Certificate) Registration(string method) => method == "tls_client_auth"
        ? (new JsonObject { ["tls_client_auth_subject_dn"] = TestCertificates.ClientDn }, TestCertificates.Client)
        : (new JsonObject { ["jwks"] = TestCertificates.Jwks(TestCertificates.SelfSigned) }, TestCertificates.SelfSigned);

    private static async Task<string> CodeAsync(ParapetTestServer server, string clientId, string requestUri)
    {
        using var browser = server.CreateBrowser();
        return (await browser.AuthorizeToRedirectAsync(clientId, requestUri))["code"].ToString();
    }

    [Theory]
    [MemberData(nameof(MtlsClients))]
    public async Task A_fapi_flow_over_mtls_without_dpop_issues_ps256_tokens_bound_to_the_certificate(string method, FapiMode mode)
    {
        var (metadata, certificate) = Registration(method);
        await using var server = await ServerWithClientAsync(mode, method, metadata);
        using var mtls = server.CreateMtlsClient(certificate);
        using var pushed = await PushAsync(mtls, ClientId);
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        var code = await CodeAsync(server, ClientId, (await pushed.Content.ReadFromJsonAsync<JsonObject>())!["request_uri"]!.GetValue<string>());

        using var redeemed = await TokenAsync(mtls, ClientId, null, FapiServer.RedeemForm(code));

        var body = await redeemed.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("Bearer", body!["token_type"]!.GetValue<string>());
        var accessToken = body["access_token"]!.GetValue<string>();
        Assert.Equal(TestCertificates.Thumbprint(certificate), BoundThumbprint(accessToken));
        Assert.Equal("PS256", new JsonWebToken(accessToken).Alg);
        Assert.Equal("PS256", new JsonWebToken(body["id_token"]!.GetValue<string>()).Alg);
        using var withCertificate = await UserInfoAsync(mtls, accessToken);
        using var plain = server.CreateClient();
        using var withoutCertificate = await UserInfoAsync(plain, accessToken);
        Assert.Equal(HttpStatusCode.OK, withCertificate.StatusCode);
        var mismatch = OAuthErrors.TokenCertificateMismatch();
        await Steps.AssertErrorAsync(withoutCertificate, HttpStatusCode.Unauthorized, mismatch.Code, mismatch.Description);
    }

    /// <summary>
    /// §5.3.2.1: a certificate is no client authentication for a client_secret_basic client, so FAPI refuses its method at /par and
    /// /token. Under the server's switch only: a client_secret_basic client cannot be made with fapi_compatibility.
    /// </summary>
    [Fact]
    public async Task A_client_secret_basic_client_presenting_a_certificate_is_refused_at_par_and_token()
    {
        await using var server = await ServerWithClientAsync(FapiMode.Server, "client_secret_basic", new JsonObject());
        using var mtls = server.CreateMtlsClient(TestCertificates.Client);
        var secret = ParapetTestServer.Basic(ClientId, ParapetTestServer.ClientSecret);

        using var push = await PushAsync(mtls, ClientId, secret);
        using var token = await ClientCredentialsAsync(mtls, ClientId, secret);

        var expected = OAuthErrors.FapiClientAuthMethod("client_secret_basic");
        await Steps.AssertErrorAsync(push, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        await Steps.AssertErrorAsync(token, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
    }

    /// <summary>
    /// A private_key_jwt client that registered tls_client_certificate_bound_access_tokens is sender-constrained by its certificate
    /// alone. Without a certificate (and no DPoP proof) the token request is refused, and the code stays redeemable: with RFC 8705
    /// §3's invalid_request that asks for the certificate, not FAPI's "DPoP or mutual TLS" one (same code), because a DPoP proof
    /// alone would not do for this client.
    /// </summary>
    [Theory]
    [InlineData(FapiMode.Server)]
    [InlineData(FapiMode.Client)]
    public async Task A_private_key_jwt_client_with_certificate_bound_tokens_needs_no_dpop_but_a_certificate(FapiMode mode)
    {
        await using var server = await ServerAsync();
        await server.CreateMtlsClientAsync(FapiServer.ClientId, "private_key_jwt", new JsonObject
        {
            ["jwks"] = ClientKey.Set(FapiServer.Key),
            ["tls_client_certificate_bound_access_tokens"] = true,
            ["fapi_compatibility"] = mode == FapiMode.Client,
        });
        await server.CreateUserAsync(Steps.Username);
        await server.SwitchOnAsync(mode);
        var code = await CodeAsync(server, FapiServer.ClientId, await server.RequestUriAsync());
        using var mtls = server.CreateMtlsClient(TestCertificates.Client);

        using var refused = await server.TokenWithKeyAsync(FapiServer.RedeemForm(code));
        using var redeemed = await server.TokenWithKeyAsync(mtls, FapiServer.RedeemForm(code));

        var expected = OAuthErrors.ClientCertificateRequired();
        Assert.Equal(OAuthErrors.FapiSenderConstraintRequired().Code, expected.Code);
        await Steps.AssertErrorAsync(refused, HttpStatusCode.BadRequest, expected.Code, expected.Description);
        var body = await redeemed.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal("Bearer", body!["token_type"]!.GetValue<string>());
        Assert.Equal(TestCertificates.Thumbprint(TestCertificates.Client), BoundThumbprint(body["access_token"]!.GetValue<string>()));
    }
}
