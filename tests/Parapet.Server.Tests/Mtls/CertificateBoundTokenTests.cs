using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;
using static Parapet.Server.Tests.Mtls.MtlsSteps;

namespace Parapet.Server.Tests.Mtls;

/// <summary>
/// RFC 8705 §3: access tokens bound to the client certificate (cnf x5t#S256), checked at /userinfo, shown by /introspect, and
/// rebound to the certificate presented at a refresh.
/// </summary>
public sealed class CertificateBoundTokenTests
{
    private const string ClientId = "bound-app";
    private static readonly System.Net.Http.Headers.AuthenticationHeaderValue Secret = ParapetTestServer.Basic(ClientId, ParapetTestServer.ClientSecret);

    /// <summary>A client_secret_basic client that asked for certificate-bound tokens, and a user.</summary>
    private static async Task<ParapetTestServer> ServerWithClientAsync()
    {
        var server = await ServerAsync();
        await server.CreateMtlsClientAsync(ClientId, "client_secret_basic", new JsonObject { ["tls_client_certificate_bound_access_tokens"] = true });
        await server.CreateUserAsync(Steps.Username);
        return server;
    }

    /// <summary>Push and log in over the main listener, redeem the code over mTLS with <paramref name="certificate"/>.</summary>
    private static async Task<JsonObject> SignInAsync(ParapetTestServer server, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var code = await server.CodeAsync(ClientId);
        using var http = server.CreateMtlsClient(certificate);
        using var response = await TokenAsync(http, ClientId, Secret, ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", ParapetTestServer.RedirectUri), ("code_verifier", Pkce.Verifier));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task A_client_asking_for_bound_tokens_gets_cnf_x5t_S256_of_its_certificate()
    {
        await using var server = await ServerWithClientAsync();

        var tokens = await SignInAsync(server, TestCertificates.Client);

        Assert.Equal(TestCertificates.Thumbprint(TestCertificates.Client), BoundThumbprint(tokens["access_token"]!.GetValue<string>()));
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_asking_for_bound_tokens_without_a_certificate_is_invalid_request()
    {
        await using var server = await ServerWithClientAsync();
        using var http = server.CreateClient();

        using var response = await ClientCredentialsAsync(http, ClientId, Secret);

        var expected = OAuthErrors.ClientCertificateRequired();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Userinfo_answers_a_bound_token_only_over_a_connection_with_that_certificate()
    {
        await using var server = await ServerWithClientAsync();
        var token = (await SignInAsync(server, TestCertificates.Client))["access_token"]!.GetValue<string>();
        using var right = server.CreateMtlsClient(TestCertificates.Client);
        using var other = server.CreateMtlsClient(TestCertificates.OtherClient);
        using var none = server.CreateClient();

        using var withRight = await UserInfoAsync(right, token);
        using var withOther = await UserInfoAsync(other, token);
        using var withNone = await UserInfoAsync(none, token);

        Assert.Equal(HttpStatusCode.OK, withRight.StatusCode);
        var expected = OAuthErrors.TokenCertificateMismatch();
        foreach (var refused in new[] { withOther, withNone })
        {
            await Steps.AssertErrorAsync(refused, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
            Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task Introspection_shows_the_tokens_cnf()
    {
        await using var server = await ServerWithClientAsync();
        var token = (await SignInAsync(server, TestCertificates.Client))["access_token"]!.GetValue<string>();
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "introspect") { Content = new FormUrlEncodedContent([new("token", token)]) };
        request.Headers.Authorization = Secret;

        using var response = await http.SendAsync(request);

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal(TestCertificates.Thumbprint(TestCertificates.Client), body["cnf"]?["x5t#S256"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_binds_the_new_access_token_to_the_certificate_presented_at_the_refresh()
    {
        await using var server = await ServerWithClientAsync();
        var refreshToken = (await SignInAsync(server, TestCertificates.Client))["refresh_token"]!.GetValue<string>();
        using var http = server.CreateMtlsClient(TestCertificates.OtherClient);

        using var response = await TokenAsync(http, ClientId, Secret, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

        Assert.Equal(TestCertificates.Thumbprint(TestCertificates.OtherClient), BoundThumbprint(await AccessTokenAsync(response)));
    }

    [Fact]
    public async Task A_client_that_did_not_ask_gets_unbound_tokens_even_over_mtls()
    {
        await using var server = await ServerAsync();
        await server.CreateMtlsClientAsync("plain-app", "client_secret_basic", new JsonObject());
        using var http = server.CreateMtlsClient(TestCertificates.Client);

        using var response = await ClientCredentialsAsync(http, "plain-app", ParapetTestServer.Basic("plain-app", ParapetTestServer.ClientSecret));

        Assert.Null(BoundThumbprint(await AccessTokenAsync(response)));
    }
}
