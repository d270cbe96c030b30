using System.Text.Json.Nodes;
using Parapet.Protocol;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary>
/// An active token this server issued, as introspection and revocation need to know it; <paramref name="Confirmation"/> is its
/// <c>cnf</c> claim when it is sender-constrained (RFC 9449 §6.2, RFC 8705 §3.2).
/// </summary>
internal sealed record ActiveToken(string TokenType, string ClientId, string Subject, string? Scope, DateTimeOffset ExpiresAt, DateTimeOffset? IssuedAt, string GrantId,
    JsonObject? Confirmation = null);

/// <summary>
/// Finds what a token presented at <c>/introspect</c> or <c>/revoke</c> is: a JWT access token (verified, unexpired, grant not
/// revoked) or a refresh token (by its hash: unused, unexpired, grant not revoked). Anything else is null.
/// </summary>
internal sealed class PresentedTokens(AccessTokens accessTokens, ITokenStore store, TimeProvider time)
{
    public const string AccessTokenType = "Bearer";
    /// <summary>RFC 9449 §6.2: a DPoP-bound access token introspects as <c>token_type: DPoP</c>.</summary>
    public const string DpopAccessTokenType = "DPoP";
    /// <summary>RFC 7662 §2.2 names token types from RFC 6749 §7.1, which has none for refresh tokens; this one says what it is.</summary>
    public const string RefreshTokenType = "refresh_token";

    /// <remarks>
    /// <c>token_type_hint</c> is not needed: RFC 7009 §2.1 and RFC 7662 §2.1 make it advisory, and the token's own shape (a
    /// signed JWT or a 43-character handle) already says where to look, so an unknown hint is never an error.
    /// </remarks>
    public async Task<ActiveToken?> FindActiveAsync(string token, ServerProperties properties, CancellationToken ct)
    {
        if (token.Count(c => c == '.') == 2)
        {
            var jwt = await accessTokens.ValidateAsync(token, properties, ct);
            if (jwt.Failed)
            {
                return null;
            }
            var t = jwt.Value!;
            var cnf = ConfirmationClaim.Read(t);
            var type = cnf?["jkt"] is null ? AccessTokenType : DpopAccessTokenType;
            return new ActiveToken(type, Claim(t, "client_id"), t.Subject, t.TryGetPayloadValue<string>("scope", out var scope) ? scope : null,
                new DateTimeOffset(t.ValidTo, TimeSpan.Zero), new DateTimeOffset(t.IssuedAt, TimeSpan.Zero), Claim(t, TokenIssuer.GrantIdClaim), cnf);
        }
        var found = await store.FindRefreshTokenAsync(Hashing.Sha256(token), time.GetUtcNow(), ct);
        if (found is not { Active: true, Token: var r })
        {
            return null;
        }
        return new ActiveToken(RefreshTokenType, r.ClientId, r.Subject, r.Scope.Length == 0 ? null : r.Scope, r.ExpiresAt, r.IssuedAt, r.GrantId,
            r.DpopJkt is null ? null : new JsonObject { ["jkt"] = r.DpopJkt });
    }

    private static string Claim(Microsoft.IdentityModel.JsonWebTokens.JsonWebToken token, string name) =>
        token.TryGetPayloadValue<string>(name, out var value) ? value : "";
}
