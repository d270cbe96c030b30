using Parapet.Protocol;

namespace Parapet.Http;

/// <summary>
/// The browser-transaction id: a random, HttpOnly cookie. Its hash is what a claimed request URI records, so a reload in the
/// same browser resumes the request and any other browser is refused (DESIGN §2.2.3).
/// </summary>
internal static class BrowserCookies
{
    public const string BrowserCookie = "parapet.browser";
    public const string SessionCookie = "parapet.session";

    /// <summary>The hash of this browser's id, creating the cookie on first sight.</summary>
    public static string BrowserKey(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(BrowserCookie, out var id) && id.Length == 43 && Base64Url.IsValid(id))
        {
            return Hashing.Sha256(id);
        }
        id = Hashing.NewHandle();
        http.Response.Cookies.Append(BrowserCookie, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
        });
        return Hashing.Sha256(id);
    }
}
