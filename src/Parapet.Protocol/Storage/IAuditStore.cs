using Parapet.Protocol.Audit;

namespace Parapet.Protocol.Storage;

public interface IAuditStore
{
    Task AddAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken ct);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken ct);
}
