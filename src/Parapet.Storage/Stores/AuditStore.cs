using Microsoft.EntityFrameworkCore;
using Parapet.Protocol.Audit;
using Parapet.Protocol.Storage;
using Parapet.Storage.Entities;

namespace Parapet.Storage.Stores;

internal sealed class AuditStore(IContextFactory contexts) : IAuditStore
{
    public async Task AddAsync(IReadOnlyCollection<AuditEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }
        await using var db = contexts.Create();
        db.Audit.AddRange(entries.Select(e => new AuditEntity
        {
            At = Time.Ms(e.At), Actor = e.Actor, Action = e.Action, Target = e.Target, Before = e.Before, After = e.After,
        }));
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var rows = db.Audit.AsNoTracking();
        if (query.Actor is not null)
        {
            rows = rows.Where(a => a.Actor == query.Actor);
        }
        if (query.Target is not null)
        {
            rows = rows.Where(a => a.Target == query.Target);
        }
        if (query.Action is not null)
        {
            rows = rows.Where(a => a.Action == query.Action);
        }
        if (query.Since is { } since)
        {
            var ms = Time.Ms(since);
            rows = rows.Where(a => a.At >= ms);
        }
        var list = await rows.OrderByDescending(a => a.Id).Take(Math.Clamp(query.Limit, 1, 10_000)).ToListAsync(ct);
        return list.Select(a => new AuditEntry(Time.At(a.At), a.Actor, a.Action, a.Target, a.Before, a.After) { Id = a.Id }).ToList();
    }
}
