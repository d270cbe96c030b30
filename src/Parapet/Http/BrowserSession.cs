using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Users;

namespace Parapet.Http;

/// <summary>The signed-in user of this browser (SSO), kept in ASP.NET Core's cookie authentication.</summary>
internal static class BrowserSession
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string AuthTimeClaim = "auth_time";

    public sealed record SignedIn(User User, DateTimeOffset AuthTime);

    public static async Task<SignedIn?> CurrentAsync(HttpContext http, IUserStore users)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded)
        {
            return null;
        }
        var sub = result.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var authTime = result.Principal.FindFirstValue(AuthTimeClaim);
        if (sub is null || !long.TryParse(authTime, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }
        var user = await users.FindByIdAsync(sub, http.RequestAborted);
        return user is null || user.Disabled ? null : new SignedIn(user, DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    public static Task SignInAsync(HttpContext http, User user, DateTimeOffset now, int lifetimeSeconds)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.Username),
            new Claim(AuthTimeClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        ], Scheme);
        return http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
        {
            IsPersistent = false,
            ExpiresUtc = now.AddSeconds(lifetimeSeconds),
            AllowRefresh = false,
        });
    }

    /// <summary>Ends this browser's session: the cookie is deleted, so the next authorization asks the user to sign in.</summary>
    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);
}
