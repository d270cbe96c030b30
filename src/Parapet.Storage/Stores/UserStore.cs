using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Users;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

internal sealed class UserStore(IContextFactory contexts) : IUserStore
{
    public async Task<User?> FindByUsernameAsync(string username, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var row = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, ct);
        return row is null ? null : ToModel(row);
    }

    public async Task<User?> FindByIdAsync(string id, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var row = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return row is null ? null : ToModel(row);
    }

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return (await db.Users.AsNoTracking().OrderBy(u => u.Username).ToListAsync(ct)).Select(ToModel).ToList();
    }

    public async Task<bool> AddAsync(User user, CancellationToken ct)
    {
        await using var db = contexts.Create();
        if (await db.Users.AnyAsync(u => u.Username == user.Username, ct))
        {
            return false;
        }
        db.Users.Add(ToEntity(user));
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

    public async Task<bool> UpdateAsync(User user, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.PasswordHash, user.PasswordHash)
            .SetProperty(u => u.Name, user.Name)
            .SetProperty(u => u.Email, user.Email)
            .SetProperty(u => u.Disabled, user.Disabled), ct) == 1;
    }

    public async Task<bool> DeleteAsync(string username, CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Users.Where(u => u.Username == username).ExecuteDeleteAsync(ct) == 1;
    }

    public async Task<bool> HasConsentAsync(string userId, string clientId, IReadOnlyCollection<string> scopes, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var row = await db.Consents.AsNoTracking().FirstOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, ct);
        if (row is null)
        {
            return false;
        }
        var granted = row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return scopes.All(granted.Contains);
    }

    public async Task RememberConsentAsync(string userId, string clientId, IReadOnlyCollection<string> scopes, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = contexts.Create();
            var row = await db.Consents.FirstOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, ct);
            if (row is null)
            {
                db.Consents.Add(new ConsentEntity { UserId = userId, ClientId = clientId, Scopes = Join(scopes) });
            }
            else
            {
                row.Scopes = Join(row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Union(scopes));
            }
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (row is null && attempt == 0)
            {
                // Two approvals at once (a double-clicked Allow, two tabs) both found no row and both inserted;
                // the loser merges into the winner's row on the second pass instead of failing with a 500.
            }
        }
    }

    private static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes.Distinct().Order(StringComparer.Ordinal));

    private static User ToModel(UserEntity u) => new()
    {
        Id = u.Id, Username = u.Username, PasswordHash = u.PasswordHash, Name = u.Name, Email = u.Email, Disabled = u.Disabled,
        CreatedAt = Time.At(u.CreatedAt),
    };

    private static UserEntity ToEntity(User u) => new()
    {
        Id = u.Id, Username = u.Username, PasswordHash = u.PasswordHash, Name = u.Name, Email = u.Email, Disabled = u.Disabled,
        CreatedAt = Time.Ms(u.CreatedAt),
    };
}
