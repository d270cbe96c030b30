using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;
using static Parapet.Server.Tests.Mtls.MtlsSteps;

namespace Parapet.Server.Tests.Mtls;

/// <summary>RFC 8705 §2.2 self_signed_tls_client_auth: the presented certificate is the x5c of a key in the client's jwks.</summary>
public sealed class SelfSignedTlsClientAuthTests
{
    private const string ClientId = "self-signed-app";

    private static async Task<ParapetTestServer> ServerWithClientAsync()
    {
        // No trust anchors: a self-signed client needs none.
        var server = await ServerAsync(trustCa: false);
        await server.CreateMtlsClientAsync(ClientId, "self_signed_tls_client_auth", new JsonObject { ["jwks"] = TestCertificates.Jwks(TestCertificates.SelfSigned) });
        return server;
    }

    [Fact]
    public async Task Push_with_the_registered_self_signed_certificate_is_201()
    {
        await using var server = await ServerWithClientAsync();
        using var http = server.CreateMtlsClient(TestCertificates.SelfSigned);

        using var response = await PushAsync(http, ClientId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Token_request_with_the_registered_self_signed_certificate_issues_a_token_bound_to_it()
    {
        await using var server = await ServerWithClientAsync();
        using var http = server.CreateMtlsClient(TestCertificates.SelfSigned);

        using var response = await ClientCredentialsAsync(http, ClientId);

        Assert.Equal(TestCertificates.Thumbprint(TestCertificates.SelfSigned), BoundThumbprint(await AccessTokenAsync(response)));
    }

    public static TheoryData<string, string, string> Failures()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var endpoint in Endpoints)
        {
            data.Add(endpoint, "stranger", "certificate is not the first x5c element of any key in the client's JWK Set");
            data.Add(endpoint, "ca-signed", "certificate is not the first x5c element of any key in the client's JWK Set");
            data.Add(endpoint, "none", "no client certificate presented");
        }
        return data;
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate(string name) => name switch
    {
        "stranger" => TestCertificates.OtherSelfSigned,
        "ca-signed" => TestCertificates.Client,
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_certificate_not_in_the_jwks_or_none_is_invalid_client(string endpoint, string certificate, string logDetail)
    {
        await using var server = await ServerWithClientAsync();
        using var http = server.CreateMtlsClient(Certificate(certificate));

        using var response = await AuthenticateAtAsync(endpoint, http, ClientId);

        await AssertAuthenticationFailedAsync(server, response, logDetail);
    }

    [Fact]
    public async Task The_registered_certificate_on_the_listener_without_mtls_does_not_authenticate()
    {
        await using var server = await ServerWithClientAsync();
        using var http = server.CreateClient(TestCertificates.SelfSigned);

        using var push = await PushAsync(http, ClientId);
        using var token = await ClientCredentialsAsync(http, ClientId);

        await AssertAuthenticationFailedAsync(server, push, "no client certificate presented");
        await AssertAuthenticationFailedAsync(server, token, "no client certificate presented");
    }
}
