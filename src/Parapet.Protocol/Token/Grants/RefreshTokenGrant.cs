using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Token.Grants;

/// <summary>RFC 6749 §6 with rotation (RFC 9700 §4.14.2): each refresh token works once; reusing one revokes its family.</summary>
internal sealed class RefreshTokenGrant(ITokenStore store, TimeProvider time) : IGrant
{
    public string GrantType => GrantTypeNames.RefreshToken;

    public async Task<Checked<Issuance>> DecideAsync(RequestParameters p, Client client, SenderProof proof, ServerProperties properties, CancellationToken ct)
    {
        var token = p["refresh_token"];
        if (token is null)
        {
            return OAuthErrors.MissingParameter("refresh_token");
        }
        var (outcome, stored) = await store.UseRefreshTokenAsync(Hashing.Sha256(token), time.GetUtcNow(), ct);
        if (outcome != RedeemOutcome.Redeemed || stored!.ClientId != client.ClientId)
        {
            return OAuthErrors.RefreshTokenInvalid();
        }
        if (stored.DpopJkt is not null && stored.DpopJkt != proof.DpopJkt)
        {
            // RFC 9449 §5: a public client's bound refresh token needs a proof of the same key every time it is used.
            return OAuthErrors.RefreshTokenDpopKeyMismatch();
        }
        var granted = ScopeCatalog.Split(stored.Scope);
        var scope = stored.Scope;
        if (p["scope"] is { } requested)
        {
            // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
            var extra = ScopeCatalog.Split(requested).FirstOrDefault(s => !granted.Contains(s));
            if (extra is not null)
            {
                return OAuthErrors.ScopeExceedsGrant(extra);
            }
            scope = requested;
        }
        return new Issuance(client, stored.Subject, scope, stored.AuthTime, Nonce: null, stored.GrantId, IncludeRefreshToken: true, proof);
    }
}
