using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary>Every requested scope is known and allowed for the client (RFC 6749 §3.3). The admin scope is never granted to a browser flow.</summary>
internal sealed class ScopeRule : IAuthorizationRule
{
    public OAuthError? Check(AuthorizationContext c)
    {
        foreach (var scope in c.Request.Scopes)
        {
            if (scope == ScopeCatalog.Admin || !ScopeCatalog.Known.Contains(scope) || !c.Client.Scopes.Contains(scope))
            {
                return OAuthErrors.ScopeNotAllowed(scope);
            }
        }
        return null;
    }
}
