namespace Parapet.Protocol.Dpop;

/// <summary>
/// <c>htu</c> comparison (RFC 9449 §4.3 item 9): the URLs are compared without query and fragment, after RFC 3986 §6.2.2
/// syntax-based and §6.2.3 scheme-based normalization (case of scheme and host, default port, dot segments, empty path).
/// </summary>
public static class DpopUrl
{
    /// <summary>The normalized form of an absolute http(s) URL, or null when it is not one.</summary>
    public static string? Normalize(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }
        // UriComponents.Port is left out when it is the scheme's default; userinfo, query and fragment are not part of it.
        return uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped);
    }

    public static bool Matches(string? htu, IEnumerable<string> urls)
    {
        var presented = Normalize(htu);
        return presented is not null && urls.Any(u => Normalize(u) == presented);
    }
}
