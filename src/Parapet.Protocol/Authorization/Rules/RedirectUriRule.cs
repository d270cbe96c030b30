using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary>
/// The redirect URI is registered, by exact match (RFC 9700 §4.1.3). RFC 9126 §2.4 lets an authenticated
/// client push an unregistered one when the operator allows it (<c>parAllowUnregisteredRedirectUri</c>); never a public client.
/// </summary>
internal sealed class RedirectUriRule : IAuthorizationRule
{
    public OAuthError? Check(AuthorizationContext c)
    {
        var uri = c.Request.RedirectUri;
        if (uri is null)
        {
            return c.Client.RedirectUris.Count == 0 ? OAuthErrors.RedirectUriNotRegistered() : OAuthErrors.RedirectUriRequired();
        }
        if (RedirectUris.IsRegistered(c.Client, uri))
        {
            return null;
        }
        var mayPushUnregistered = c.Pushed && c.ClientAuthenticated && !c.Client.IsPublic && c.Properties.ParAllowUnregisteredRedirectUri;
        if (!mayPushUnregistered)
        {
            return OAuthErrors.RedirectUriNotRegistered();
        }
        return RedirectUris.IsAcceptable(uri) ? null : OAuthErrors.RedirectUriInvalid();
    }
}
