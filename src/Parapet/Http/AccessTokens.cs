using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary>Checks a Bearer access token (a DPoP-bound one is refused here) this server issued: signature, issuer, audience, lifetime, <c>typ</c>, and that its grant is not revoked.</summary>
internal sealed class AccessTokens(ISigningKeys keys, ITokenStore store, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<Checked<JsonWebToken>> ValidateAsync(HttpContext http, ServerProperties properties)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return OAuthErrors.TokenMissing();
        }
        var token = await ValidateAsync(header[7..].Trim(), properties, http.RequestAborted);
        // RFC 9449 §7.2: a DPoP-bound token is not a bearer token; only ResourceAccess (with a proof) accepts it.
        return !token.Failed && ConfirmationClaim.Jkt(token.Value!) is not null ? OAuthErrors.DpopBoundTokenAsBearer() : token;
    }

    /// <summary>The same checks for a token presented in a form (introspection, revocation).</summary>
    public async Task<Checked<JsonWebToken>> ValidateAsync(string value, ServerProperties properties, CancellationToken ct)
    {
        var result = await Handler.ValidateTokenAsync(value, new TokenValidationParameters
        {
            ValidIssuer = properties.Issuer,
            ValidAudience = properties.Issuer,
            IssuerSigningKeys = keys.VerificationKeys,
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore <= now.AddSeconds(30)) && expires > now.AddSeconds(-30);
            },
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return OAuthErrors.TokenInvalid();
        }
        if (token.TryGetPayloadValue<string>(TokenIssuer.GrantIdClaim, out var grantId) && await store.IsGrantRevokedAsync(grantId, ct))
        {
            return OAuthErrors.TokenInvalid();
        }
        return token;
    }
}
