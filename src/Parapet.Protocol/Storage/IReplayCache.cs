namespace Parapet.Protocol.Storage;

/// <summary>
/// One-time identifiers across the deployment: a client assertion's <c>jti</c> (RFC 7523 §3) is accepted once, on whichever
/// node sees it first. The insert itself decides (unique key), never a read before it.
/// </summary>
public interface IReplayCache
{
    /// <summary>
    /// Records <paramref name="key"/> until <paramref name="expiresAt"/>; false when it is already recorded and not yet expired.
    /// </summary>
    Task<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct);
}
