using Parapet.Protocol.Token;

namespace Parapet.Protocol.Storage;

/// <summary>Codes, refresh tokens and grant revocation. Every once-only transition is one conditional update.</summary>
public interface ITokenStore
{
    /// <summary>Marks the code redeemed when it is unredeemed and unexpired; a second presentation revokes its grant.</summary>
    Task<(RedeemOutcome Outcome, AuthorizationCode? Code)> RedeemCodeAsync(string key, DateTimeOffset now, CancellationToken ct);

    Task AddRefreshTokenAsync(RefreshToken token, CancellationToken ct);

    /// <summary>Marks the refresh token used (rotation). Reuse of a used one revokes the whole family.</summary>
    Task<(RedeemOutcome Outcome, RefreshToken? Token)> UseRefreshTokenAsync(string key, DateTimeOffset now, CancellationToken ct);

    /// <summary>Looks a refresh token up without using it (introspection, revocation); null when no token has this key.</summary>
    Task<RefreshTokenState?> FindRefreshTokenAsync(string key, DateTimeOffset now, CancellationToken ct);

    Task<bool> IsGrantRevokedAsync(string grantId, CancellationToken ct);

    Task RevokeGrantAsync(string grantId, DateTimeOffset now, CancellationToken ct);
}
