namespace Parapet.Http;

/// <summary>Headers for every HTML page (DESIGN §7): no framing, no sniffing, no inline script, no caching.</summary>
internal static class SecurityHeaders
{
    public static void ForPage(HttpContext http)
    {
        var h = http.Response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h.CacheControl = "no-store";
    }
}
