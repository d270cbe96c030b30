using Parapet.Protocol.Par;
using Parapet.Protocol.Token;

namespace Parapet.Protocol.Storage;

/// <summary>
/// Pushed requests. Both transitions (claim, consume) are single conditional updates whose affected-row count decides,
/// so they hold under concurrency and across nodes (DESIGN §2.2.3).
/// </summary>
public interface IPushedRequestStore
{
    /// <summary>Inserts and commits; a 201 is only sent after this returns.</summary>
    Task AddAsync(PushedRequest request, CancellationToken ct);

    /// <summary>
    /// Claims the request for <paramref name="browser"/> (a hash of the browser-transaction id): succeeds when it is unclaimed
    /// and unexpired, or already claimed by the same browser (a reload). A claim extends its life to <paramref name="claimedUntil"/>.
    /// </summary>
    Task<(ClaimOutcome Outcome, PushedRequest? Request)> ClaimAsync(string key, string clientId, string browser, DateTimeOffset now, DateTimeOffset claimedUntil, CancellationToken ct);

    /// <summary>
    /// Consumes the request claimed by <paramref name="browser"/> and stores <paramref name="code"/>: in one transaction where
    /// both live in one database, else the request spent first (never a code beside a request still good for another); false
    /// when it was already consumed or is not this browser's.
    /// </summary>
    Task<bool> ConsumeAsync(string key, string browser, DateTimeOffset now, AuthorizationCode? code, CancellationToken ct);

    Task<IReadOnlyList<PushedRequest>> ListActiveAsync(string? clientId, DateTimeOffset now, int limit, CancellationToken ct);

    Task<bool> RevokeAsync(string key, CancellationToken ct);
}
