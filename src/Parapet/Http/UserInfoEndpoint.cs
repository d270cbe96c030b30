using System.Text.Json.Nodes;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http;

/// <summary><c>/userinfo</c> (OIDC Core §5.3): the claims the access token's scopes allow, behind the <c>userinfo</c> flag; Bearer or DPoP (RFC 9449 §7).</summary>
internal static class UserInfoEndpoint
{
    public static void MapUserInfo(this IEndpointRouteBuilder app) =>
        app.MapMethods("/userinfo", [HttpMethods.Get, HttpMethods.Post], HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext http, IPropertySource source, ResourceAccess access, IUserStore users, ClientCertificates certificates)
    {
        var properties = source.Current.Properties;
        if (!properties.IsEnabled(FeatureFlagCatalog.UserInfo))
        {
            return OAuthResults.Error(http, OAuthErrors.FeatureDisabled(FeatureFlagCatalog.UserInfo), properties);
        }
        var token = await access.AuthorizeAsync(http, DpopProofs.UserInfoUrls, properties);
        if (token.Failed)
        {
            return OAuthResults.Error(http, token.Error!, properties);
        }
        if (CertificateBinding.Problem(http, certificates, token.Value!) is { } unbound)
        {
            return OAuthResults.Error(http, unbound, properties);
        }
        var scopes = ScopeCatalog.Split(token.Value!.TryGetPayloadValue<string>("scope", out var s) ? s : null);
        if (!scopes.Contains(ScopeCatalog.OpenId))
        {
            return OAuthResults.Error(http, OAuthErrors.InsufficientScope(ScopeCatalog.OpenId), properties);
        }
        var user = await users.FindByIdAsync(token.Value.Subject, http.RequestAborted);
        if (user is null || user.Disabled)
        {
            return OAuthResults.Error(http, OAuthErrors.TokenInvalid(), properties);
        }
        var claims = new JsonObject { ["sub"] = user.Id };
        if (scopes.Contains(ScopeCatalog.Profile))
        {
            claims["name"] = user.Name ?? user.Username;
            claims["preferred_username"] = user.Username;
        }
        if (scopes.Contains(ScopeCatalog.Email) && user.Email is not null)
        {
            claims["email"] = user.Email;
        }
        return OAuthResults.NoStoreJson(http, claims);
    }
}
