using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary><c>response_type</c> is present, supported (<c>code</c> only) and registered for the client (RFC 6749 §3.1.1).</summary>
internal sealed class ResponseTypeRule : IAuthorizationRule
{
    public OAuthError? Check(AuthorizationContext c)
    {
        var value = c.Request.ResponseType;
        if (value is null)
        {
            return OAuthErrors.MissingParameter("response_type");
        }
        if (value != "code")
        {
            return OAuthErrors.UnsupportedResponseTypeValue(value);
        }
        return c.Client.ResponseTypes.Contains(value) ? null : OAuthErrors.ResponseTypeNotAllowed(value);
    }
}
