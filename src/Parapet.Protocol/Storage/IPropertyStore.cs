using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Storage;

/// <summary>The properties as one revisioned JSON document (DESIGN §3.1).</summary>
public interface IPropertyStore
{
    /// <summary>The stored document and its revision, or null before the first start wrote it.</summary>
    Task<(string Document, long Revision)?> LoadAsync(CancellationToken ct);

    /// <summary>Just the revision: the cheap question a poller asks.</summary>
    Task<long> RevisionAsync(CancellationToken ct);

    /// <summary>Stores <paramref name="properties"/> as revision <paramref name="expectedRevision"/> + 1; false when someone else wrote first.</summary>
    Task<bool> SaveAsync(ServerProperties properties, long expectedRevision, CancellationToken ct);
}
