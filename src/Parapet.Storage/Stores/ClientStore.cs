using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Storage;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

internal sealed class ClientStore(IContextFactory contexts) : IClientStore
{
    public async Task<Client?> FindAsync(string clientId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var row = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, ct);
        return row is null ? null : ToModel(row);
    }

    public async Task<IReadOnlyList<Client>> ListAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = await db.Clients.AsNoTracking().OrderBy(c => c.ClientId).ToListAsync(ct);
        return rows.Select(ToModel).ToList();
    }

    public async Task<bool> AddAsync(Client client, CancellationToken ct)
    {
        await using var db = contexts.Create();
        if (await db.Clients.AnyAsync(c => c.ClientId == client.ClientId, ct))
        {
            return false;
        }
        db.Clients.Add(new ClientEntity { ClientId = client.ClientId, Version = client.Version, Data = JsonSerializer.Serialize(client) });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    public async Task<bool> UpdateAsync(Client client, long expectedVersion, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var data = JsonSerializer.Serialize(client);
        return await db.Clients
            .Where(c => c.ClientId == client.ClientId && c.Version == expectedVersion)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Data, data).SetProperty(c => c.Version, client.Version), ct) == 1;
    }

    public async Task<bool> DeleteAsync(string clientId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Clients.Where(c => c.ClientId == clientId).ExecuteDeleteAsync(ct) == 1;
    }

    private static Client ToModel(ClientEntity row) => JsonSerializer.Deserialize<Client>(row.Data)! with { Version = row.Version };
}
