using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

/// <summary>The properties row (id 1). Writes are compare-and-set on the revision, so two admins cannot silently overwrite each other.</summary>
internal sealed class PropertyStore(IContextFactory contexts, TimeProvider time) : IPropertyStore
{
    public const int RowId = 1;

    public async Task<(string Document, long Revision)?> LoadAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var row = await db.Properties.AsNoTracking().FirstOrDefaultAsync(p => p.Id == RowId, ct);
        return row is null ? null : (row.Document, row.Revision);
    }

    public async Task<long> RevisionAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        return await db.Properties.Where(p => p.Id == RowId).Select(p => p.Revision).FirstOrDefaultAsync(ct);
    }

    public async Task<bool> SaveAsync(ServerProperties properties, long expectedRevision, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var document = PropertyDocument.Serialize(properties);
        var now = Time.Ms(time.GetUtcNow());
        if (expectedRevision == 0)
        {
            if (await db.Properties.AnyAsync(p => p.Id == RowId, ct))
            {
                return false;
            }
            db.Properties.Add(new PropertiesEntity { Id = RowId, Revision = 1, Document = document, UpdatedAt = now });
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
        return await db.Properties.Where(p => p.Id == RowId && p.Revision == expectedRevision)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Document, document)
                .SetProperty(p => p.Revision, expectedRevision + 1)
                .SetProperty(p => p.UpdatedAt, now), ct) == 1;
    }
}
