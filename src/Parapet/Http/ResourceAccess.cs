using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary>
/// Access to a protected resource (<c>/userinfo</c>) with a Bearer token (RFC 6750 §2.1) or a DPoP-bound one (RFC 9449 §7):
/// the scheme must fit the token's binding, and a DPoP token comes with a proof of its key that carries the token's hash.
/// Every refusal is a 401 whose <c>WWW-Authenticate</c> also offers DPoP with the accepted algorithms (RFC 9449 §7.1).
/// </summary>
internal sealed class ResourceAccess(AccessTokens tokens, DpopProofs proofs)
{
    public async Task<Checked<JsonWebToken>> AuthorizeAsync(HttpContext http, Func<ServerProperties, IReadOnlyList<string>> urls, ServerProperties properties)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var dpop = header.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase);
        if (!dpop && !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Challenge(OAuthErrors.TokenMissing(), properties, dpop: false);
        }
        var value = header[(dpop ? 5 : 7)..].Trim();
        var token = await tokens.ValidateAsync(value, properties, http.RequestAborted);
        if (token.Failed)
        {
            return Challenge(token.Error!, properties, dpop);
        }
        var jkt = ConfirmationClaim.Jkt(token.Value!);
        if (!dpop)
        {
            // RFC 9449 §7.2: a DPoP-bound token used as a bearer token is refused, or DPoP would protect nothing.
            return jkt is null ? token : Challenge(OAuthErrors.DpopBoundTokenAsBearer(), properties, dpop: true);
        }
        if (jkt is null)
        {
            return Challenge(OAuthErrors.BearerTokenAsDpop(), properties, dpop: true);
        }
        var proof = await proofs.ReadAsync(http, urls, properties, accessToken: value);
        if (proof.Failed)
        {
            return Challenge(proof.Error!, properties, dpop: true);
        }
        if (proof.Value is null)
        {
            return Challenge(OAuthErrors.DpopProofMissing(), properties, dpop: true);
        }
        // RFC 9449 §7.1: the proof's key must be the one the token is bound to.
        return proof.Value.Jkt == jkt ? token : Challenge(OAuthErrors.DpopTokenKeyMismatch(), properties, dpop: true);
    }

    /// <summary>RFC 9449 §7.1: the DPoP challenge names the error and the algorithms; a Bearer challenge gets DPoP offered beside it.</summary>
    private static OAuthError Challenge(OAuthError error, ServerProperties properties, bool dpop)
    {
        var algs = $"algs=\"{string.Join(' ', properties.DpopSigningAlgValuesSupported)}\"";
        var headers = new Dictionary<string, string>(error.Headers ?? new Dictionary<string, string>());
        headers["WWW-Authenticate"] = dpop
            ? $"DPoP error=\"{error.Code}\", error_description=\"{error.Description.Replace("\"", "'", StringComparison.Ordinal)}\", {algs}"
            : $"{headers.GetValueOrDefault("WWW-Authenticate", "Bearer")}, DPoP {algs}";
        return error with { Status = StatusCodes.Status401Unauthorized, Headers = headers };
    }
}
