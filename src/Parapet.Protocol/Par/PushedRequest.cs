using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Par;

/// <summary>
/// A stored, validated authorization request. Its life: pushed → claimed by one browser → consumed when the code is issued.
/// </summary>
/// <param name="Key">The issue time and the SHA-256 of the reference (never the reference itself; see <see cref="RequestUri"/>).</param>
/// <param name="ViaPar">False for a plain request that was parked here so the login round-trip can resume it.</param>
/// <param name="RedirectUriRegistered">False when an unregistered redirect URI was allowed at push (RFC 9126 §2.4), so <c>/authorize</c> does not re-check it.</param>
public sealed record PushedRequest(
    string Key,
    string ClientId,
    AuthorizationRequest Request,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    bool ViaPar,
    bool RedirectUriRegistered,
    string? ClaimedBy = null,
    DateTimeOffset? ConsumedAt = null);

/// <summary>Why a claim did not succeed (or that it did).</summary>
public enum ClaimOutcome
{
    Claimed,
    Unknown,
    ClaimedByAnotherBrowser,
    OtherClient,
}
