using System.Collections.Concurrent;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Storage;

namespace Parapet.Storage.Stores;

/// <summary>
/// Client look-ups on the hot path (every push and token request) served from memory for at most <see cref="MaxAge"/>.
/// Writes through this node evict at once; a change made on another node or in the database is seen within
/// <see cref="MaxAge"/>, inside the one-second promise of DESIGN §3.1, without any notification channel.
/// </summary>
internal sealed class CachingClientStore(ClientStore inner) : IClientStore
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(500);
    private const int MaxEntries = 10_000;

    /// <summary>The completed look-up itself is kept, so a hit hands out the same task and allocates nothing.</summary>
    private readonly ConcurrentDictionary<string, (Task<Client?> Found, long LoadedAt)> _cache = new(StringComparer.Ordinal);

    public Task<Client?> FindAsync(string clientId, CancellationToken ct)
    {
        // Real time on purpose: this bounds propagation delay, like the property poller, and is not protocol time.
        var now = Environment.TickCount64;
        if (_cache.TryGetValue(clientId, out var entry) && now - entry.LoadedAt < MaxAge.TotalMilliseconds)
        {
            return entry.Found;
        }
        return LoadAsync(clientId, now, ct);
    }

    private async Task<Client?> LoadAsync(string clientId, long now, CancellationToken ct)
    {
        var client = await inner.FindAsync(clientId, ct);
        if (_cache.Count >= MaxEntries)
        {
            // Unknown ids are cached too (so guessing cannot hammer the database); a full cache simply starts over.
            _cache.Clear();
        }
        _cache[clientId] = (Task.FromResult(client), now);
        return client;
    }

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken ct) => inner.ListAsync(ct);

    public async Task<bool> AddAsync(Client client, CancellationToken ct)
    {
        var added = await inner.AddAsync(client, ct);
        _cache.TryRemove(client.ClientId, out _);
        return added;
    }

    public async Task<bool> UpdateAsync(Client client, long expectedVersion, CancellationToken ct)
    {
        var updated = await inner.UpdateAsync(client, expectedVersion, ct);
        _cache.TryRemove(client.ClientId, out _);
        return updated;
    }

    public async Task<bool> DeleteAsync(string clientId, CancellationToken ct)
    {
        var deleted = await inner.DeleteAsync(clientId, ct);
        _cache.TryRemove(clientId, out _);
        return deleted;
    }
}
