using System.Net;
using System.Net.Sockets;

namespace Parapet.Hosting;

/// <summary>
/// Addresses a client-chosen URL must not reach: the server's own host and networks, and cloud metadata services (the
/// classic server-side request forgery targets). Public unicast addresses are the only ones left.
/// </summary>
internal static class PrivateNetworks
{
    private static readonly (IPAddress Network, int Prefix)[] V4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network", unspecified (RFC 791, RFC 1122 §3.2.1.3)
        (IPAddress.Parse("10.0.0.0"), 8),       // private (RFC 1918)
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT (RFC 6598)
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, incl. 169.254.169.254 metadata services (RFC 3927)
        (IPAddress.Parse("172.16.0.0"), 12),    // private (RFC 1918)
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments (RFC 6890)
        (IPAddress.Parse("192.168.0.0"), 16),   // private (RFC 1918)
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking (RFC 2544)
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved, incl. broadcast 255.255.255.255
    ];

    private static readonly (IPAddress Network, int Prefix)[] V6 =
    [
        (IPAddress.Parse("::"), 128),           // unspecified
        (IPAddress.Parse("::1"), 128),          // loopback
        (IPAddress.Parse("fc00::"), 7),         // unique local (RFC 4193)
        (IPAddress.Parse("fe80::"), 10),        // link-local
        (IPAddress.Parse("fec0::"), 10),        // site-local, deprecated (RFC 3879) but still routed by some stacks
        (IPAddress.Parse("ff00::"), 8),         // multicast
    ];

    /// <summary>NAT64's well-known prefix (RFC 6052): the last 32 bits are an IPv4 address, checked as such.</summary>
    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");

    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6 || InPrefix(address, Nat64, 96))
        {
            // ::ffff:127.0.0.1 and 64:ff9b::a00:1 reach the IPv4 address they carry.
            return Contains(EmbeddedIPv4(address));
        }
        var table = address.AddressFamily == AddressFamily.InterNetwork ? V4 : V6;
        return table.Any(n => InPrefix(address, n.Network, n.Prefix));
    }

    private static IPAddress EmbeddedIPv4(IPAddress address) => new(address.GetAddressBytes()[12..]);

    private static bool InPrefix(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = prefix / 8;
        if (!a.AsSpan(0, whole).SequenceEqual(n.AsSpan(0, whole)))
        {
            return false;
        }
        var rest = prefix % 8;
        return rest == 0 || (a[whole] >> (8 - rest)) == (n[whole] >> (8 - rest));
    }
}
