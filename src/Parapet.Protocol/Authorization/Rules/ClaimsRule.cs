using System.Text.Json;
using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary>OIDC Core §5.5: the <c>claims</c> parameter is a JSON object.</summary>
internal sealed class ClaimsRule : IAuthorizationRule
{
    public OAuthError? Check(AuthorizationContext c)
    {
        if (c.Request.Claims is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(c.Request.Claims);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? null : OAuthErrors.ClaimsMalformed();
        }
        catch (JsonException)
        {
            return OAuthErrors.ClaimsMalformed();
        }
    }
}
