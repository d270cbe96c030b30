using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary>RFC 9449 §10: <c>dpop_jkt</c> is a JWK SHA-256 thumbprint (RFC 7638), 32 bytes in base64url.</summary>
internal sealed class DpopJktRule : IAuthorizationRule
{
    public OAuthError? Check(AuthorizationContext c) =>
        c.Request.DpopJkt is not { } jkt || (jkt.Length == 43 && Base64Url.IsValid(jkt)) ? null : OAuthErrors.DpopJktMalformed();
}
