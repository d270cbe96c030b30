using Parapet.Protocol.Clients;

namespace Parapet.Protocol.Storage;

/// <summary>Initial access tokens for dynamic registration (RFC 7591 §3).</summary>
public interface IRegistrationTokenStore
{
    Task AddAsync(InitialAccessToken token, CancellationToken ct);

    /// <summary>Every token, newest first, used up and expired ones included.</summary>
    Task<IReadOnlyList<InitialAccessToken>> ListAsync(CancellationToken ct);

    /// <summary>False when there is no token with that id.</summary>
    Task<bool> RevokeAsync(string id, CancellationToken ct);

    /// <summary>The token with this hash if it is unexpired with uses left: an early answer only; <see cref="UseAsync"/> decides.</summary>
    Task<InitialAccessToken?> FindUsableAsync(string hash, DateTimeOffset now, CancellationToken ct);

    /// <summary>Takes one use with one conditional UPDATE; false when it expired, ran out or was revoked in the meantime.</summary>
    Task<bool> UseAsync(string id, DateTimeOffset now, CancellationToken ct);
}
