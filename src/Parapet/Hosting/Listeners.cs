using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Parapet.Hosting;

/// <summary>
/// Kestrel's endpoints from the start-up options: <c>--urls</c> (http, or https with the server certificate) and
/// <c>--mtls-urls</c> (https that asks for a client certificate, RFC 8705 §5). Parsed before start, so a bad URL or a missing
/// certificate stops <c>parapet serve</c> with a message instead of a stack trace.
/// </summary>
internal sealed class Listeners
{
    private readonly List<(BindingAddress Address, bool Mtls)> _addresses = [];
    private readonly X509Certificate2? _certificate;

    /// <exception cref="StartupError">A URL is malformed, or https is asked for without a certificate.</exception>
    public Listeners(ServerOptions options)
    {
        _certificate = ServerCertificate.Load(options);
        foreach (var url in ServerOptions.Split(options.Urls))
        {
            _addresses.Add((Parse(url, "--urls"), false));
        }
        foreach (var url in ServerOptions.Split(options.MtlsUrls))
        {
            var address = Parse(url, "--mtls-urls");
            if (address.Scheme != "https")
            {
                throw new StartupError($"--mtls-urls: '{url}' must be an https URL: a client certificate needs TLS.");
            }
            _addresses.Add((address, true));
        }
        if (_certificate is null && _addresses.Any(a => a.Address.Scheme == "https"))
        {
            throw new StartupError("An https URL needs a certificate: give --tls-cert FILE --tls-key FILE, or --tls-self-signed for loopback.");
        }
    }

    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var (address, mtls) in _addresses)
        {
            Listen(kestrel, address, listen =>
            {
                if (address.Scheme == "https")
                {
                    listen.UseHttps(https => ConfigureHttps(https, mtls));
                }
            });
        }
    }

    /// <remarks>
    /// The mTLS listener uses <see cref="ClientCertificateMode.AllowCertificate"/>, not RequireCertificate: a client without a
    /// certificate then gets an OAuth error it can read (invalid_client, 401) rather than a failed handshake, and the
    /// certificate-free endpoints behind the aliases (jwks, discovery) stay reachable. Kestrel accepts any certificate: each
    /// authentication method validates it (a chain to <c>--mtls-trust-ca</c>, or a registered self-signed certificate).
    /// </remarks>
    private void ConfigureHttps(HttpsConnectionAdapterOptions https, bool mtls)
    {
        https.ServerCertificate = _certificate;
        if (mtls)
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.CheckCertificateRevocation = false;
            https.AllowAnyClientCertificate();
        }
    }

    /// <summary>Kestrel's own rules for a URL's host: localhost is both loopbacks, * and + every address, and so is a host name.</summary>
    private static void Listen(KestrelServerOptions kestrel, BindingAddress address, Action<ListenOptions> configure)
    {
        var host = address.Host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IPAddress.TryParse(host, out var ip))
        {
            kestrel.Listen(ip, address.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
    }

    private static BindingAddress Parse(string url, string option)
    {
        try
        {
            var address = BindingAddress.Parse(url);
            if (address.IsNamedPipe || address.IsUnixPipe || address.Scheme is not ("http" or "https") || (address.PathBase.Length > 0 && address.PathBase != "/"))
            {
                throw new FormatException("use http://HOST:PORT or https://HOST:PORT");
            }
            return address;
        }
        catch (FormatException e)
        {
            throw new StartupError($"{option}: '{url}' is not a listen URL ({e.Message}).", e);
        }
    }
}
