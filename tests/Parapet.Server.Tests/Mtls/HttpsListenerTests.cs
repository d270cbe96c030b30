using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Parapet.Hosting;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Mtls;

/// <summary>HTTPS from a PEM pair or a kept self-signed loopback certificate, mTLS discovery, and start-up options refused with a message.</summary>
public sealed class HttpsListenerTests
{
    [Fact]
    public async Task Https_serves_the_certificate_of_the_pem_files()
    {
        var dir = Directory.CreateTempSubdirectory("parapet-pem").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(dir, "tls.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "tls.key"), key.ExportPkcs8PrivateKeyPem());
        await using var server = await ParapetTestServer.StartOnKestrelAsync(o => o with
        {
            TlsSelfSigned = false,
            MtlsUrls = null,
            TlsCert = Path.Combine(dir, "tls.crt"),
            TlsKey = Path.Combine(dir, "tls.key"),
        });
        using var http = new HttpClient(server.Kestrel!.Handler(null, served => served.Thumbprint == certificate.Thumbprint)) { BaseAddress = server.Kestrel.BaseAddress };

        using var response = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_self_signed_loopback_certificate_is_created_in_the_data_directory_with_a_private_key_file()
    {
        await using var server = await ParapetTestServer.StartOnKestrelAsync(o => o with { MtlsUrls = null });
        var certPath = Path.Combine(server.DataDir, ServerCertificate.SelfSignedCertFile);
        var keyPath = Path.Combine(server.DataDir, ServerCertificate.SelfSignedKeyFile);
        using var kept = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        using var http = new HttpClient(server.Kestrel!.Handler(null, served => served.Thumbprint == kept.Thumbprint)) { BaseAddress = server.Kestrel.BaseAddress };

        using var response = await http.GetAsync(".well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        }
        var sans = kept.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], sans.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], sans.EnumerateIPAddresses());
        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Message.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cli_reaches_a_self_signed_server_by_pinning_the_certificate_kept_in_its_data_directory()
    {
        await using var server = await ParapetTestServer.StartOnKestrelAsync(o => o with { MtlsUrls = null });

        var result = await Cli.CliRun.RunAsync(null, ["clients", "list", "--data-dir", server.DataDir]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("parapet-admin", result.Out);
    }

    [Fact]
    public async Task Discovery_publishes_the_mtls_aliases_of_the_mtls_listener_and_the_tls_methods()
    {
        await using var server = await ParapetTestServer.StartOnKestrelAsync();
        var mtls = server.Kestrel!.MtlsAddress!.ToString().TrimEnd('/');
        using var http = server.CreateClient();

        var doc = (await http.GetFromJsonAsync<JsonObject>(".well-known/openid-configuration"))!;

        var aliases = doc["mtls_endpoint_aliases"]!.AsObject();
        Assert.Equal("pushed_authorization_request_endpoint", aliases.First().Key);
        Assert.Equal(mtls + "/par", aliases["pushed_authorization_request_endpoint"]!.GetValue<string>());
        Assert.Equal(mtls + "/token", aliases["token_endpoint"]!.GetValue<string>());
        Assert.Equal(mtls + "/userinfo", aliases["userinfo_endpoint"]!.GetValue<string>());
        Assert.True(doc["tls_client_certificate_bound_access_tokens"]!.GetValue<bool>());
        var methods = doc["token_endpoint_auth_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("tls_client_auth", methods);
        Assert.Contains("self_signed_tls_client_auth", methods);
    }

    public static TheoryData<string, string> BadOptions() => new()
    {
        { "https-without-certificate", "An https URL needs a certificate: give --tls-cert FILE --tls-key FILE, or --tls-self-signed for loopback." },
        { "mtls-over-http", "--mtls-urls: 'http://127.0.0.1:9443' must be an https URL: a client certificate needs TLS." },
        { "header-without-proxies", "--client-cert-header needs --trusted-proxies: the header is believed only from the proxies named there." },
        { "bad-proxy", "--trusted-proxies: 'proxy.example' is neither an IP address nor a CIDR range such as 10.0.0.0/8." },
        { "cert-without-key", "--tls-cert and --tls-key go together: give both PEM files." },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_start_up_option_stops_the_server_with_a_message(string @case, string message)
    {
        var options = new ServerOptions { DataDir = Path.Combine(Path.GetTempPath(), "parapet-tests", Guid.NewGuid().ToString("N")) };
        options = @case switch
        {
            "https-without-certificate" => options with { Urls = "https://127.0.0.1:8443" },
            "mtls-over-http" => options with { MtlsUrls = "http://127.0.0.1:9443" },
            "header-without-proxies" => options with { ClientCertHeader = "X-Client-Cert" },
            "bad-proxy" => options with { ClientCertHeader = "X-Client-Cert", TrustedProxies = "127.0.0.1,proxy.example" },
            _ => options with { TlsCert = "tls.crt" },
        };

        var error = Assert.Throws<StartupError>(() => ParapetApp.Build(options));

        Assert.Equal(message, error.Message);
    }
}
