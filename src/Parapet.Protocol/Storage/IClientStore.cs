using Parapet.Protocol.Clients;

namespace Parapet.Protocol.Storage;

public interface IClientStore
{
    Task<Client?> FindAsync(string clientId, CancellationToken ct);
    Task<IReadOnlyList<Client>> ListAsync(CancellationToken ct);
    /// <summary>False when a client with that id exists.</summary>
    Task<bool> AddAsync(Client client, CancellationToken ct);
    /// <summary>False when the client does not exist or changed since <paramref name="expectedVersion"/>.</summary>
    Task<bool> UpdateAsync(Client client, long expectedVersion, CancellationToken ct);
    Task<bool> DeleteAsync(string clientId, CancellationToken ct);
}
