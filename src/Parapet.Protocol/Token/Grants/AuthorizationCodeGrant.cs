using System.Security.Cryptography;
using System.Text;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Token.Grants;

/// <summary>
/// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). The code is redeemed by one conditional update; a second presentation
/// revokes what the first issued (RFC 6749 §4.1.2).
/// </summary>
internal sealed class AuthorizationCodeGrant(ITokenStore store, TimeProvider time) : IGrant
{
    public string GrantType => GrantTypeNames.AuthorizationCode;

    public async Task<Checked<Issuance>> DecideAsync(RequestParameters p, Client client, SenderProof proof, ServerProperties properties, CancellationToken ct)
    {
        var code = p["code"];
        if (code is null)
        {
            return OAuthErrors.MissingParameter("code");
        }
        var (outcome, stored) = await store.RedeemCodeAsync(Hashing.Sha256(code), time.GetUtcNow(), ct);
        if (outcome != RedeemOutcome.Redeemed)
        {
            return OAuthErrors.CodeInvalid();
        }
        if (stored!.ClientId != client.ClientId)
        {
            return OAuthErrors.CodeClientMismatch();
        }
        if (p["redirect_uri"] is { } redirectUri && redirectUri != stored.RedirectUri)
        {
            return OAuthErrors.CodeRedirectUriMismatch();
        }
        if (stored.CodeChallenge is not null)
        {
            var verifier = p["code_verifier"];
            if (verifier is null)
            {
                return OAuthErrors.PkceVerifierMissing();
            }
            if (!VerifierMatches(verifier, stored.CodeChallenge, stored.CodeChallengeMethod ?? "plain"))
            {
                return OAuthErrors.PkceVerifierMismatch();
            }
        }
        else if (p.Has("code_verifier"))
        {
            // RFC 9700 §2.1.1: a verifier for a code issued without a challenge means an injected code.
            return OAuthErrors.PkceVerifierMismatch();
        }
        if (stored.DpopJkt is not null && stored.DpopJkt != proof.DpopJkt)
        {
            // RFC 9449 §10: the code is bound to the key named at the authorization request; no other key may redeem it.
            return OAuthErrors.CodeDpopKeyMismatch();
        }
        return new Issuance(client, stored.Subject, stored.Scope, stored.AuthTime, stored.Nonce, stored.GrantId, IncludeRefreshToken: true, proof);
    }

    private static bool VerifierMatches(string verifier, string challenge, string method)
    {
        var expected = method == "S256" ? Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }
}
