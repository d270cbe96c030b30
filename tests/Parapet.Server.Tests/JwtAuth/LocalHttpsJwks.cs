using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>
/// A real jwks_uri server on 127.0.0.1 over TLS with a throw-away certificate, so the fetch goes through the server's real
/// socket handler and its private-network guard (unlike <see cref="JwksEndpoint"/>, which replaces the handler).
/// </summary>
public sealed class LocalHttpsJwks : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string _thumbprint;

    private LocalHttpsJwks(WebApplication app, int port, string thumbprint)
    {
        _app = app;
        Port = port;
        _thumbprint = thumbprint;
    }

    public int Port { get; }

    public static async Task<LocalHttpsJwks> StartAsync(string document)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        var certificate = SelfSigned();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/jwks", () => Results.Text(document, "application/json"));
        await app.StartAsync();
        return new LocalHttpsJwks(app, new Uri(app.Urls.Single()).Port, certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    /// <summary>Makes the Parapet under test trust this server's throw-away certificate, keeping its handler (and guard) otherwise as built.</summary>
    public void Trust(IServiceCollection services)
    {
        foreach (var name in new[] { Hosting.HttpJwksFetcher.HttpClientName, Hosting.HttpJwksFetcher.PrivateNetworksHttpClientName })
        {
            services.Configure<HttpClientFactoryOptions>(name, o => o.HttpMessageHandlerBuilderActions.Add(b =>
                ((SocketsHttpHandler)b.PrimaryHandler).SslOptions.RemoteCertificateValidationCallback =
                    (_, certificate, _, _) => certificate is X509Certificate2 presented && presented.GetCertHashString(HashAlgorithmName.SHA256) == _thumbprint));
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
