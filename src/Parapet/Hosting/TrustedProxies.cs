using System.Net;

namespace Parapet.Hosting;

/// <summary>
/// The proxies whose client-certificate header is believed (<c>--trusted-proxies</c>): addresses or CIDR ranges. Empty by
/// default, so no request can hand the server a certificate in a header.
/// </summary>
public sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;

    private TrustedProxies(IPNetwork[] networks) => _networks = networks;

    /// <exception cref="StartupError">An entry is neither an address nor a CIDR range.</exception>
    public static TrustedProxies Parse(string? list)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                throw new StartupError($"--trusted-proxies: '{entry}' is neither an IP address nor a CIDR range such as 10.0.0.0/8.");
            }
        }
        return new TrustedProxies(networks.ToArray());
    }

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>IPv4 clients reached over a dual-stack socket arrive as ::ffff:a.b.c.d and are compared as IPv4.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(plain));
    }
}
