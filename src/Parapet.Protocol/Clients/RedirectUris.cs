namespace Parapet.Protocol.Clients;

/// <summary>Redirect URI syntax and matching (RFC 6749 §3.1.2, RFC 8252 §7.3, RFC 9700 §4.1.3).</summary>
public static class RedirectUris
{
    /// <summary>https anywhere; http only on a loopback host. Absolute, no fragment.</summary>
    public static bool IsAcceptable(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Fragment) || value.Contains('#'))
        {
            return false;
        }
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(uri));
    }

    public static bool IsLoopbackHost(Uri uri) =>
        uri.Host is "127.0.0.1" or "[::1]" or "::1" or "localhost";

    /// <summary>
    /// Exact string match, except that a native client's loopback IP redirect matches on any port (RFC 8252 §7.3:
    /// the port is chosen at run time). Never a prefix or pattern match.
    /// </summary>
    public static bool IsRegistered(Client client, string redirectUri)
    {
        foreach (var registered in client.RedirectUris)
        {
            if (string.Equals(registered, redirectUri, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return client.IsNative && client.RedirectUris.Any(r => LoopbackMatchIgnoringPort(r, redirectUri));
    }

    private static bool LoopbackMatchIgnoringPort(string registered, string presented)
    {
        if (!Uri.TryCreate(registered, UriKind.Absolute, out var a) || !Uri.TryCreate(presented, UriKind.Absolute, out var b))
        {
            return false;
        }
        return a.Scheme == Uri.UriSchemeHttp && b.Scheme == Uri.UriSchemeHttp
            && a.Host is "127.0.0.1" or "[::1]" && a.Host == b.Host
            && a.PathAndQuery == b.PathAndQuery;
    }
}
