using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary>OIDC Core §3.1.2.1: <c>max_age</c> is a non-negative integer number of seconds.</summary>
internal sealed class MaxAgeRule : IAuthorizationRule
{
    public OAuthError? Check(AuthorizationContext c) =>
        c.Request.MaxAge is null || c.Request.MaxAgeSeconds is not null ? null : OAuthErrors.MaxAgeInvalid();
}
