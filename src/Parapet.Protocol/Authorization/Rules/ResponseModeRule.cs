using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary><c>response_mode</c> is one this server answers with (OAuth 2.0 Multiple Response Types, Form Post Response Mode).</summary>
internal sealed class ResponseModeRule : IAuthorizationRule
{
    public OAuthError? Check(AuthorizationContext c) =>
        c.Request.ResponseMode is null or "query" or "form_post" ? null : OAuthErrors.ResponseModeNotSupported(c.Request.ResponseMode);
}
