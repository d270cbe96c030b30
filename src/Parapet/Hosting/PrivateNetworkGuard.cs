using System.Net;
using System.Net.Sockets;

namespace Parapet.Hosting;

/// <summary>
/// The connect step of the guarded <c>jwks_uri</c> client (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the
/// host itself and connects only when every address it resolves to is public. Checking the addresses actually dialled, not
/// the host name, is what defeats DNS rebinding (a name that resolves to a public address when checked and to 127.0.0.1
/// when connecting) and names like <c>localhost</c> or <c>*.nip.io</c>.
/// </summary>
internal sealed class PrivateNetworkGuard
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        // A name that mixes public and private answers is refused whole: there is no honest reason for it.
        var refused = addresses.Where(PrivateNetworks.Contains).ToList();
        if (refused.Count > 0 || addresses.Length == 0)
        {
            throw new PrivateNetworkRefusedException(host, refused);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A client-chosen URL led to a non-public address; the message is for the operator's log.</summary>
internal sealed class PrivateNetworkRefusedException(string host, IReadOnlyList<IPAddress> addresses) : IOException(
    addresses.Count == 0
        ? $"'{host}' resolves to no address"
        : $"'{host}' resolves to the non-public address {string.Join(", ", addresses)}; set jwksUriAllowPrivateNetworks to allow it (local development only)");
