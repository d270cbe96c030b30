namespace Parapet.Protocol.Token;

/// <summary>An issued authorization code, stored under the SHA-256 of the code (DESIGN §2.6); <c>DpopJkt</c> per RFC 9449 §10.</summary>
public sealed record AuthorizationCode(
    string Key,
    string ClientId,
    string Subject,
    string RedirectUri,
    string Scope,
    string? Nonce,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    DateTimeOffset AuthTime,
    DateTimeOffset ExpiresAt,
    string GrantId,
    string? DpopJkt = null);

/// <summary>
/// A refresh token, stored hashed. All tokens descended from one authorization share a <see cref="GrantId"/> (the family).
/// <see cref="DpopJkt"/> binds a public client's token to its DPoP key (RFC 9449 §5).
/// </summary>
public sealed record RefreshToken(
    string Key,
    string ClientId,
    string Subject,
    string Scope,
    DateTimeOffset AuthTime,
    DateTimeOffset ExpiresAt,
    string GrantId,
    DateTimeOffset? IssuedAt = null,
    string? DpopJkt = null);

/// <summary>A refresh token as found by its key, and whether it can still be used: unused, unexpired, its grant not revoked.</summary>
public sealed record RefreshTokenState(RefreshToken Token, bool Active);

public enum RedeemOutcome
{
    Redeemed,
    Unknown,
    /// <summary>Presented a second time: the grant it started is revoked (RFC 6749 §4.1.2, RFC 9700 §4.14).</summary>
    Replayed,
}
