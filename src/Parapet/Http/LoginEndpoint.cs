using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Parapet.Http.Pages;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Users;

namespace Parapet.Http;

/// <summary>The sign-in page. It only ever returns to a local <c>/authorize</c> URL, so it cannot be used as an open redirect.</summary>
internal static class LoginEndpoint
{
    private const string BadCredentials = "The username or password is not correct.";
    private const string Throttled = "Too many failed sign-ins; wait a few minutes and try again.";

    public static void MapLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext http, IAntiforgery antiforgery, string? return_url) =>
            Html.Login(http, antiforgery.GetAndStoreTokens(http), SafeReturnUrl(return_url), null, null));
        app.MapPost("/login", LoginAsync).DisableAntiforgery();
        app.MapGet("/login/done", (HttpContext http) => Html.Page(http, "Signed in", "<h1>You are signed in</h1><p>Return to the application.</p>"));
    }

    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, IUserStore users, IPasswordHasher<User> hasher,
        LoginThrottle throttle, IPropertySource source, TimeProvider time)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return Html.Error(http, "invalid_request", "The sign-in form expired or was not sent by this site; start again.");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var username = form["username"].ToString();
        var password = form["password"].ToString();
        var returnUrl = SafeReturnUrl(form["return_url"]);
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var tokens = antiforgery.GetAndStoreTokens(http);
        if (throttle.IsBlocked(username, ip))
        {
            return Html.Login(http, tokens, returnUrl, username, Throttled, StatusCodes.Status429TooManyRequests);
        }
        var user = username.Length is > 0 and <= 256 ? await users.FindByUsernameAsync(username, http.RequestAborted) : null;
        var verified = user is not null && !user.Disabled && password.Length <= 1024
            && hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (!verified)
        {
            throttle.Failed(username, ip);
            return Html.Login(http, tokens, returnUrl, username, BadCredentials, StatusCodes.Status400BadRequest);
        }
        throttle.Succeeded(username);
        await BrowserSession.SignInAsync(http, user!, time.GetUtcNow(), source.Current.Properties.SessionIdLifetime);
        return Results.Redirect(returnUrl);
    }

    /// <summary>Only a local authorize URL is followed; anything else returns to a harmless page.</summary>
    private static string SafeReturnUrl(string? value) =>
        value is not null && value.StartsWith("/authorize?", StringComparison.Ordinal) && !value.Contains('\\') && !value.Contains("//", StringComparison.Ordinal)
            ? value
            : "/login/done";
}
