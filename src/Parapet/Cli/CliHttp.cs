using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Parapet.Cli;

/// <summary>The CLI's HTTP client: the system's trust, plus the server's own self-signed certificate when the data directory holds it.</summary>
internal static class CliHttp
{
    public static HttpClient Create(Connection connection)
    {
        if (connection.PinnedCertificate is not { } path)
        {
            return new HttpClient();
        }
        var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(path));
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                // Trusted as the system trusts it, or as exactly the certificate this server created and keeps (not any
                // certificate that merely names the same host).
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || (certificate is not null && certificate.GetCertHash().AsSpan().SequenceEqual(pinned.GetCertHash())),
            },
        };
        return new HttpClient(handler, disposeHandler: true);
    }
}
