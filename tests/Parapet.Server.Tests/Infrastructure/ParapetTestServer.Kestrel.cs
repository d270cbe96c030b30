using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Parapet.Hosting;

namespace Parapet.Server.Tests.Infrastructure;

/// <summary>
/// The same server on Kestrel with real loopback ports, for what the test server cannot do: TLS and client certificates.
/// By default an https listener with the self-signed loopback certificate and an mTLS listener.
/// </summary>
public sealed partial class ParapetTestServer
{
    /// <summary>Set when the server runs on Kestrel.</summary>
    public KestrelEndpoints? Kestrel { get; private init; }

    /// <param name="configure">Adjusts the start-up options (data directory and free ports already filled in).</param>
    public static async Task<ParapetTestServer> StartOnKestrelAsync(Func<ServerOptions, ServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parapet-tests", Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var defaults = new ServerOptions
        {
            Urls = $"https://127.0.0.1:{FreePorts.Next()}",
            MtlsUrls = $"https://127.0.0.1:{FreePorts.Next()}",
            TlsSelfSigned = true,
            DataDir = dataDir,
        };
        var options = configure is null ? defaults : configure(defaults);
        var app = ParapetApp.Build(options, builder => ConfigureForTests(builder, time, services));
        await Bootstrap.RunAsync(app, options, CancellationToken.None);
        await app.StartAsync();
        return new ParapetTestServer(app, time, app.Services.GetRequiredService<FakeLogCollector>(), dataDir, ownsDataDir: true)
        {
            Kestrel = new KestrelEndpoints(options),
        };
    }

    /// <summary>The issuer: the first URL the server listens on (what client assertions name as aud).</summary>
    public string IssuerUrl => Kestrel is null ? Issuer : Kestrel.BaseAddress.OriginalString.TrimEnd('/');

    /// <summary>A client of the mTLS listener that presents <paramref name="certificate"/> (or none).</summary>
    public HttpClient CreateMtlsClient(X509Certificate2? certificate) =>
        new(Kestrel!.Handler(certificate)) { BaseAddress = Kestrel.MtlsAddress };

    /// <summary>A client of the main listener that offers <paramref name="certificate"/>, which that listener never asks for.</summary>
    public HttpClient CreateClient(X509Certificate2? certificate) =>
        new(Kestrel!.Handler(certificate)) { BaseAddress = Kestrel.BaseAddress };

}

/// <summary>Where a Kestrel-hosted test server listens, and HTTP handlers that reach it.</summary>
public sealed class KestrelEndpoints(ServerOptions options)
{
    public Uri BaseAddress { get; } = new(ServerOptions.Split(options.Urls)[0].TrimEnd('/') + "/");
    public Uri? MtlsAddress { get; } = options.MtlsUrls is null ? null : new(ServerOptions.Split(options.MtlsUrls)[0].TrimEnd('/') + "/");

    /// <summary>
    /// A handler that presents <paramref name="certificate"/> when the server asks, and accepts the server's test certificate.
    /// The selection callback hands over the certificate even though the server names no acceptable CAs.
    /// </summary>
    public SocketsHttpHandler Handler(X509Certificate2? certificate, Func<X509Certificate2, bool>? serverCertificate = null) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions =
        {
            ClientCertificates = certificate is null ? null : [certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
            RemoteCertificateValidationCallback = (_, cert, _, _) => serverCertificate is null || (cert is X509Certificate2 c && serverCertificate(c)),
        },
    };
}
