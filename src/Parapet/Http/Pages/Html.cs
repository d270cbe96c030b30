using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;

namespace Parapet.Http.Pages;

/// <summary>
/// The end-user pages. Hand-written HTML: four small pages do not justify a view engine, and every value goes through
/// <see cref="E"/> (HTML encoding). The pages work without JavaScript; field and button names are stable (DESIGN §2.3).
/// </summary>
internal static class Html
{
    private const string AutoSubmitScript = "document.forms[0].submit();";
    private static readonly string AutoSubmitHash = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(AutoSubmitScript)));

    private const string Style = """
        body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;justify-content:center}
        main{background:#fff;margin-top:8vh;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 1px 4px #0002;min-width:20rem;max-width:28rem}
        h1{font-size:1.3rem;margin-top:0} label{display:block;margin:.8rem 0 .2rem} input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
        button{margin-top:1rem;padding:.5rem 1.2rem;margin-right:.5rem} .error{color:#a00} code{background:#eee;padding:0 .2rem} ul{padding-left:1.2rem}
        """;

    public static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    public static IResult Page(HttpContext http, string title, string body, int status = 200)
    {
        SecurityHeaders.ForPage(http);
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>{E(title)} · Parapet</title><style>{Style}</style></head>
            <body><main>{body}</main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Antiforgery(AntiforgeryTokenSet tokens) =>
        $"""<input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken)}">""";

    public static IResult Login(HttpContext http, AntiforgeryTokenSet tokens, string returnUrl, string? username, string? error, int status = 200) =>
        Page(http, "Sign in", $"""
            <h1>Sign in</h1>
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
            <form method="post" action="/login">
            {Antiforgery(tokens)}
            <input type="hidden" name="return_url" value="{E(returnUrl)}">
            <label for="username">Username</label><input type="text" id="username" name="username" value="{E(username)}" autocomplete="username" autofocus required>
            <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form>
            """, status);

    public static IResult Consent(HttpContext http, AntiforgeryTokenSet tokens, string clientName, string clientId, string requestUri, IEnumerable<string> scopes) =>
        Page(http, "Allow access", $"""
            <h1>Allow {E(clientName)}?</h1>
            <p><strong>{E(clientName)}</strong> asks for:</p>
            <ul>{string.Concat(scopes.Select(s => $"<li><code>{E(s)}</code></li>"))}</ul>
            <form method="post" action="/consent">
            {Antiforgery(tokens)}
            <input type="hidden" name="client_id" value="{E(clientId)}">
            <input type="hidden" name="request_uri" value="{E(requestUri)}">
            <button type="submit" name="decision" value="allow">Allow</button>
            <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """);

    public static IResult Error(HttpContext http, string code, string description, int status = 400) =>
        Page(http, "Error", $"""
            <h1>The request cannot be completed</h1>
            <p class="error" role="alert"><code id="error">{E(code)}</code></p>
            <p id="error_description">{E(description)}</p>
            <p>Return to the application and start again.</p>
            """, status);

    public static IResult SignedOut(HttpContext http) =>
        Page(http, "Signed out", """<h1 id="signed-out">You are signed out</h1><p>You can close this window.</p>""");

    /// <summary>RP-Initiated Logout §2: asks before ending the session when the request may not come from the user's application.</summary>
    public static IResult ConfirmSignOut(HttpContext http, AntiforgeryTokenSet tokens, string action, string? clientId, string? redirectUri, string? state)
    {
        var fields = new (string Name, string? Value)[] { ("client_id", clientId), ("post_logout_redirect_uri", redirectUri), ("state", state) };
        var inputs = string.Concat(fields.Where(f => f.Value is not null).Select(f => $"<input type=\"hidden\" name=\"{E(f.Name)}\" value=\"{E(f.Value)}\">"));
        return Page(http, "Sign out", $"""
            <h1>Sign out?</h1>
            <p>Do you want to sign out of this server?</p>
            <form method="post" action="{E(action)}">
            {Antiforgery(tokens)}
            {inputs}
            <button type="submit" name="decision" value="logout">Sign out</button>
            </form>
            """);
    }

    /// <summary>OAuth 2.0 Form Post Response Mode: a self-submitting form, with a no-script button.</summary>
    public static IResult FormPost(HttpContext http, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var inputs = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{E(f.Key)}\" value=\"{E(f.Value)}\">"));
        var result = Page(http, "Continue", $"""
            <form method="post" action="{E(action)}">{inputs}<noscript><button type="submit">Continue</button></noscript></form>
            <script>{AutoSubmitScript}</script>
            """);
        http.Response.Headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'unsafe-inline'; script-src '{AutoSubmitHash}'; frame-ancestors 'none'; base-uri 'none'";
        return result;
    }
}
