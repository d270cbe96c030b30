using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;
using static Parapet.Server.Tests.Mtls.MtlsSteps;

namespace Parapet.Server.Tests.Mtls;

/// <summary>RFC 8705 §2.1 tls_client_auth over real TLS, at /par and /token: the chain to --mtls-trust-ca and the registered subject.</summary>
public sealed class TlsClientAuthTests
{
    private const string ClientId = "pki-app";

    public static TheoryData<string, string> Subjects() => new()
    {
        { "tls_client_auth_subject_dn", "cn=app,o=Example Corp,c=SE" },
        { "tls_client_auth_san_dns", TestCertificates.ClientDns },
        { "tls_client_auth_san_ip", "192.0.2.7" },
    };

    private static async Task<ParapetTestServer> ServerWithClientAsync(string field = "tls_client_auth_subject_dn", string value = TestCertificates.ClientDn, bool trustCa = true)
    {
        var server = await ServerAsync(trustCa);
        await server.CreateMtlsClientAsync(ClientId, "tls_client_auth", new JsonObject { [field] = value });
        return server;
    }

    [Theory]
    [MemberData(nameof(Subjects))]
    public async Task Push_with_the_registered_certificate_over_mtls_is_201(string field, string value)
    {
        await using var server = await ServerWithClientAsync(field, value);
        using var http = server.CreateMtlsClient(TestCertificates.Client);

        using var response = await PushAsync(http, ClientId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Subjects))]
    public async Task Token_request_with_the_registered_certificate_issues_a_token_bound_to_it(string field, string value)
    {
        await using var server = await ServerWithClientAsync(field, value);
        using var http = server.CreateMtlsClient(TestCertificates.Client);

        using var response = await ClientCredentialsAsync(http, ClientId);

        var token = await AccessTokenAsync(response);
        Assert.Equal(TestCertificates.Thumbprint(TestCertificates.Client), BoundThumbprint(token));
    }

    public static TheoryData<string, string, string, string, string> Failures()
    {
        (string Field, string Value, string Certificate, string LogDetail)[] cases =
        [
            ("tls_client_auth_subject_dn", TestCertificates.ClientDn, "other", "certificate does not match the registered tls_client_auth_subject_dn"),
            ("tls_client_auth_san_dns", TestCertificates.ClientDns, "other", "certificate does not match the registered tls_client_auth_san_dns"),
            ("tls_client_auth_san_dns", "nobody.client.example", "client", "certificate does not match the registered tls_client_auth_san_dns"),
            ("tls_client_auth_subject_dn", TestCertificates.ClientDn, "impostor", "certificate does not chain to a configured trust anchor"),
            ("tls_client_auth_subject_dn", TestCertificates.ClientDn, "self-signed", "certificate does not chain to a configured trust anchor"),
            ("tls_client_auth_subject_dn", TestCertificates.ClientDn, "none", "no client certificate presented"),
        ];
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var (field, value, certificate, logDetail) in cases)
            {
                data.Add(endpoint, field, value, certificate, logDetail);
            }
        }
        return data;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate(string name) => name switch
    {
        "client" => TestCertificates.Client,
        "other" => TestCertificates.OtherClient,
        "impostor" => TestCertificates.Impostor,
        "self-signed" => TestCertificates.SelfSigned,
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_wrong_untrusted_or_missing_certificate_is_invalid_client(string endpoint, string field, string value, string certificate, string logDetail)
    {
        await using var server = await ServerWithClientAsync(field, value);
        using var http = server.CreateMtlsClient(Certificate(certificate));

        using var response = await AuthenticateAtAsync(endpoint, http, ClientId);

        await AssertAuthenticationFailedAsync(server, response, logDetail);
    }

    [Fact]
    public async Task A_certificate_offered_on_the_listener_without_mtls_is_never_asked_for_so_push_and_token_fail()
    {
        await using var server = await ServerWithClientAsync();
        using var http = server.CreateClient(TestCertificates.Client);

        using var push = await PushAsync(http, ClientId);
        using var token = await ClientCredentialsAsync(http, ClientId);

        await AssertAuthenticationFailedAsync(server, push, "no client certificate presented");
        await AssertAuthenticationFailedAsync(server, token, "no client certificate presented");
    }

    [Fact]
    public async Task Without_trust_anchors_tls_client_auth_fails_and_the_log_says_what_to_configure()
    {
        await using var server = await ServerWithClientAsync(trustCa: false);
        using var http = server.CreateMtlsClient(TestCertificates.Client);

        using var response = await ClientCredentialsAsync(http, ClientId);

        await AssertAuthenticationFailedAsync(server, response, "no trust anchors are configured for tls_client_auth (start the server with --mtls-trust-ca FILE)");
    }

    [Fact]
    public async Task A_client_secret_basic_client_is_not_authenticated_by_a_certificate_but_still_by_its_secret()
    {
        await using var server = await ServerAsync();
        await server.CreateMtlsClientAsync("secret-app", "client_secret_basic", new JsonObject());
        using var http = server.CreateMtlsClient(TestCertificates.Client);

        using var certificateOnly = await ClientCredentialsAsync(http, "secret-app");
        using var withSecret = await ClientCredentialsAsync(http, "secret-app", ParapetTestServer.Basic("secret-app", ParapetTestServer.ClientSecret));

        await AssertAuthenticationFailedAsync(server, certificateOnly, "client secret-app registered for client_secret_basic, presented only a client_id");
        var token = await AccessTokenAsync(withSecret);
        Assert.Null(BoundThumbprint(token));
    }

    [Fact]
    public async Task A_tls_client_auth_client_sending_a_secret_as_well_is_refused()
    {
        await using var server = await ServerWithClientAsync();
        using var http = server.CreateMtlsClient(TestCertificates.Client);

        using var response = await ClientCredentialsAsync(http, ClientId, ParapetTestServer.Basic(ClientId, ParapetTestServer.ClientSecret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
