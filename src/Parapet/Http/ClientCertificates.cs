using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Parapet.Hosting;
using Parapet.Protocol.Clients.Certificates;

namespace Parapet.Http;

/// <summary>
/// The TLS client certificate of a request (RFC 8705): from the connection (the mTLS listener asks for one), or, behind a
/// TLS-terminating proxy, from the header the operator named — but only when the request comes from a trusted proxy
/// (RFC 8705 §6.5: the header is as trustworthy as whoever set it). Read once per request.
/// </summary>
internal sealed class ClientCertificates(ServerOptions options, TrustedProxies proxies, ILogger<ClientCertificates> logger)
{
    private static readonly object Key = new();

    public X509Certificate2? Find(HttpContext http)
    {
        if (options.ClientCertHeader is not { } header)
        {
            return http.Connection.ClientCertificate; // the default: nothing to parse, nothing to cache on the PAR hot path
        }
        if (http.Items.TryGetValue(Key, out var cached))
        {
            return cached as X509Certificate2;
        }
        var certificate = Read(http, header);
        http.Items[Key] = certificate;
        return certificate;
    }

    /// <summary>RFC 8705 §3.1 <c>x5t#S256</c> of the request's certificate, or null without one.</summary>
    public string? Thumbprint(HttpContext http) => Find(http) is { } certificate ? CertificateThumbprint.Of(certificate) : null;

    private X509Certificate2? Read(HttpContext http, string header)
    {
        if (!http.Request.Headers.TryGetValue(header, out var values))
        {
            return http.Connection.ClientCertificate;
        }
        if (!proxies.Contains(http.Connection.RemoteIpAddress))
        {
            logger.LogDebug("Ignored the {Header} header from {Address}, which is not a trusted proxy", header, http.Connection.RemoteIpAddress);
            return http.Connection.ClientCertificate;
        }
        var value = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        try
        {
            // nginx's $ssl_client_escaped_cert: the PEM certificate, URL-encoded so its line breaks survive the header.
            var forwarded = X509Certificate2.CreateFromPem(Uri.UnescapeDataString(value));
            http.Response.RegisterForDispose(forwarded);
            return forwarded;
        }
        catch (CryptographicException e)
        {
            logger.LogWarning("The {Header} header from proxy {Address} is not a URL-encoded PEM certificate: {Reason}", header, http.Connection.RemoteIpAddress, e.Message);
            return null;
        }
    }
}
