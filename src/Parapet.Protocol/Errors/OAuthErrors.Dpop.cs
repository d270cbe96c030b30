namespace Parapet.Protocol.Errors;

/// <summary>The DPoP part of the catalogue (RFC 9449): proof refusals, server nonces and sender-constrained grants.</summary>
public static partial class OAuthErrors
{
    /// <summary>RFC 9449 §5: the error code of a token request whose proof is invalid.</summary>
    public const string InvalidDpopProof = "invalid_dpop_proof";
    /// <summary>RFC 9449 §8: the proof lacks the server's current nonce.</summary>
    public const string UseDpopNonce = "use_dpop_nonce";

    public static OAuthError DpopProof(string description) => new(InvalidDpopProof, description);

    public static OAuthError DpopHeaderRepeated() => DpopProof("Send exactly one DPoP header (RFC 9449 §4.3).");
    public static OAuthError DpopNotAJwt() => DpopProof("The DPoP header must be one JWT in compact serialization (RFC 9449 §4.2).");
    public static OAuthError DpopType() => DpopProof("The DPoP proof's header must have typ 'dpop+jwt' (RFC 9449 §4.2).");
    public static OAuthError DpopAlgorithm(string alg, IEnumerable<string> allowed) =>
        DpopProof($"The DPoP proof's alg '{alg}' is not accepted; use one of: {string.Join(", ", allowed)}.");
    public static OAuthError DpopJwkMissing() => DpopProof("The DPoP proof's header must carry the public key as 'jwk' (RFC 9449 §4.2).");
    public static OAuthError DpopJwkInvalid() => DpopProof("The DPoP proof's 'jwk' must be an RSA or EC public key.");
    public static OAuthError DpopJwkPrivate() => DpopProof("The DPoP proof's 'jwk' must not contain private key members (RFC 9449 §4.3).");
    public static OAuthError DpopSignature() => DpopProof("The DPoP proof's signature does not verify with the key in its 'jwk' header.");
    public static OAuthError DpopClaimMissing(string claim) => DpopProof($"The DPoP proof must contain the claim '{claim}' (RFC 9449 §4.2).");
    public static OAuthError DpopMethod(string method) => DpopProof($"The DPoP proof's 'htm' must be the request method '{method}'.");
    public static OAuthError DpopUrl(string url) => DpopProof($"The DPoP proof's 'htu' must be '{url}' (without query or fragment).");
    public static OAuthError DpopIssuedTooLongAgo(int seconds) => DpopProof($"The DPoP proof's 'iat' is more than {seconds} seconds in the past (dpopTimeframe).");
    public static OAuthError DpopIssuedInFuture(int seconds) => DpopProof($"The DPoP proof's 'iat' is more than {seconds} seconds in the future (dpopTimeframe).");
    public static OAuthError DpopReplayed() => DpopProof("The DPoP proof's 'jti' was already used; make a new proof for every request (RFC 9449 §11.1).");
    public static OAuthError DpopAccessTokenHashMissing() => DpopProof("The DPoP proof must contain 'ath', the hash of the access token (RFC 9449 §4.2).");
    public static OAuthError DpopAccessTokenHashMismatch() => DpopProof("The DPoP proof's 'ath' is not the base64url SHA-256 of the access token.");

    public static OAuthError DpopNonceRequired(string nonce) => new(UseDpopNonce, "Use the server's nonce from the DPoP-Nonce header in the DPoP proof (RFC 9449 §8).")
    {
        Headers = new Dictionary<string, string> { ["DPoP-Nonce"] = nonce },
    };

    /// <summary>RFC 9449 §10.1: a pushed request with both a proof and <c>dpop_jkt</c> must name the same key.</summary>
    public static OAuthError DpopJktMismatch() => Request("The 'dpop_jkt' parameter does not match the key of the DPoP proof (RFC 9449 §10.1).");
    public static OAuthError DpopJktMalformed() => Request("The 'dpop_jkt' parameter must be a base64url SHA-256 JWK thumbprint (RFC 9449 §10).");
    /// <summary>RFC 9449 §5.2: <c>dpop_bound_access_tokens</c> clients always prove a key at the token endpoint.</summary>
    public static OAuthError DpopProofRequiredForClient() => DpopProof("This client must send a DPoP proof with every token request (dpop_bound_access_tokens).");
    /// <summary>RFC 9449 §10: the code was bound to a key at the authorization request; only that key may redeem it.</summary>
    public static OAuthError CodeDpopKeyMismatch() => new(InvalidGrant, "The authorization code is bound to a DPoP key (dpop_jkt); send a DPoP proof signed with that key.");
    /// <summary>RFC 9449 §5: a public client's refresh token is bound to the key it was issued with.</summary>
    public static OAuthError RefreshTokenDpopKeyMismatch() => new(InvalidGrant, "The refresh token is bound to a DPoP key; send a DPoP proof signed with that key.");

    /// <summary>RFC 9449 §7.1: a DPoP-bound access token is only accepted with the DPoP scheme and a proof of its key.</summary>
    public static OAuthError DpopBoundTokenAsBearer() => new(InvalidToken, "The access token is bound to a DPoP key; present it with 'Authorization: DPoP' and a DPoP proof.", 401);
    public static OAuthError BearerTokenAsDpop() => new(InvalidToken, "The access token is not DPoP-bound; present it with 'Authorization: Bearer'.", 401);
    public static OAuthError DpopProofMissing() => DpopProof("A DPoP proof (the DPoP header) is required with a DPoP-bound access token.");
    public static OAuthError DpopTokenKeyMismatch() => DpopProof("The DPoP proof's key is not the key the access token is bound to (cnf.jkt).");
}
