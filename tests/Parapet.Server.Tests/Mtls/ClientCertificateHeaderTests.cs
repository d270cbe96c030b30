using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;
using static Parapet.Server.Tests.Mtls.MtlsSteps;

namespace Parapet.Server.Tests.Mtls;

/// <summary>
/// Behind a TLS-terminating proxy (RFC 8705 §6.5): the certificate comes in --client-cert-header as URL-encoded PEM, and is
/// believed only from --trusted-proxies. The tests' requests come from 127.0.0.1 over plain HTTP, as from a local proxy.
/// </summary>
public sealed class ClientCertificateHeaderTests
{
    private const string ClientId = "proxied-app";
    private const string Header = "X-Client-Cert";

    private static async Task<ParapetTestServer> ServerAsync(string trustedProxies)
    {
        var server = await ParapetTestServer.StartOnKestrelAsync(o => o with
        {
            Urls = $"http://127.0.0.1:{FreePorts.Next()}",
            MtlsUrls = null,
            TlsSelfSigned = false,
            MtlsTrustCa = TestCertificates.WriteCaBundle(o.DataDir + "-ca"),
            ClientCertHeader = Header,
            TrustedProxies = trustedProxies,
        });
        await server.CreateMtlsClientAsync(ClientId, "tls_client_auth", new JsonObject { ["tls_client_auth_san_dns"] = TestCertificates.ClientDns });
        return server;
    }

    private static HttpClient WithHeader(ParapetTestServer server)
    {
        var http = server.CreateClient();
        // nginx's $ssl_client_escaped_cert
        http.DefaultRequestHeaders.Add(Header, Uri.EscapeDataString(TestCertificates.Client.ExportCertificatePem()));
        return http;
    }

    [Fact]
    public async Task The_header_from_a_trusted_proxy_authenticates_and_binds_the_token()
    {
        await using var server = await ServerAsync("10.0.0.0/8, 127.0.0.1");
        using var http = WithHeader(server);

        using var push = await PushAsync(http, ClientId);
        using var token = await ClientCredentialsAsync(http, ClientId);

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(TestCertificates.Thumbprint(TestCertificates.Client), BoundThumbprint(await AccessTokenAsync(token)));
    }

    [Fact]
    public async Task The_header_from_any_other_address_gives_no_certificate()
    {
        await using var server = await ServerAsync("10.0.0.0/8");
        using var http = WithHeader(server);

        using var push = await PushAsync(http, ClientId);
        using var token = await ClientCredentialsAsync(http, ClientId);

        await AssertAuthenticationFailedAsync(server, push, "no client certificate presented");
        await AssertAuthenticationFailedAsync(server, token, "no client certificate presented");
    }

    [Fact]
    public async Task A_header_that_is_not_a_certificate_gives_no_certificate_and_never_a_500()
    {
        await using var server = await ServerAsync("127.0.0.1");
        using var http = server.CreateClient();
        http.DefaultRequestHeaders.Add(Header, "not%20a%20certificate");

        using var token = await ClientCredentialsAsync(http, ClientId);

        await AssertAuthenticationFailedAsync(server, token, "no client certificate presented");
    }
}
