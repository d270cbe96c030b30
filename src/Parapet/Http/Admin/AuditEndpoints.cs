using Parapet.Protocol.Audit;
using Parapet.Protocol.Storage;

namespace Parapet.Http.Admin;

/// <summary><c>GET /admin/v1/audit</c>: the trail, newest first, filterable by actor, target, action and time.</summary>
internal static class AuditEndpoints
{
    public static void MapAudit(this RouteGroupBuilder admin) =>
        admin.MapGet("/audit", async (string? actor, string? target, string? action, DateTimeOffset? since, int? limit, IAuditStore store, CancellationToken ct) =>
        {
            var entries = await store.ListAsync(new AuditQuery(actor, target, action, since, limit ?? 100), ct);
            return Results.Json(entries.Select(e => new
            {
                id = e.Id,
                at = e.At,
                actor = e.Actor,
                action = e.Action,
                target = e.Target,
                before = e.Before,
                after = e.After,
            }));
        });
}
