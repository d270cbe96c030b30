using Parapet.Protocol.Users;

namespace Parapet.Protocol.Storage;

public interface IUserStore
{
    Task<User?> FindByUsernameAsync(string username, CancellationToken ct);
    Task<User?> FindByIdAsync(string id, CancellationToken ct);
    Task<IReadOnlyList<User>> ListAsync(CancellationToken ct);
    Task<bool> AddAsync(User user, CancellationToken ct);
    Task<bool> UpdateAsync(User user, CancellationToken ct);
    Task<bool> DeleteAsync(string username, CancellationToken ct);

    Task<bool> HasConsentAsync(string userId, string clientId, IReadOnlyCollection<string> scopes, CancellationToken ct);
    Task RememberConsentAsync(string userId, string clientId, IReadOnlyCollection<string> scopes, CancellationToken ct);
}
