using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;

namespace Parapet.Protocol.Tests.Fakes;

/// <summary>For issuance paths that store nothing (client credentials): any call here would be a bug.</summary>
internal sealed class UnusedTokenStore : ITokenStore
{
    public Task<(RedeemOutcome Outcome, AuthorizationCode? Code)> RedeemCodeAsync(string key, DateTimeOffset now, CancellationToken ct) => throw new InvalidOperationException();
    public Task AddRefreshTokenAsync(RefreshToken token, CancellationToken ct) => throw new InvalidOperationException();
    public Task<(RedeemOutcome Outcome, RefreshToken? Token)> UseRefreshTokenAsync(string key, DateTimeOffset now, CancellationToken ct) => throw new InvalidOperationException();
    public Task<RefreshTokenState?> FindRefreshTokenAsync(string key, DateTimeOffset now, CancellationToken ct) => throw new InvalidOperationException();
    public Task<bool> IsGrantRevokedAsync(string grantId, CancellationToken ct) => throw new InvalidOperationException();
    public Task RevokeGrantAsync(string grantId, DateTimeOffset now, CancellationToken ct) => throw new InvalidOperationException();
}
