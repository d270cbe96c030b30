using Parapet.Protocol.Storage;

namespace Parapet.Http.Admin;

/// <summary><c>/admin/v1/par</c>: active pushed requests (by their stored hash, never the reference) and their revocation.</summary>
internal static class ParAdminEndpoints
{
    public static void MapParAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/par", async (string? client_id, int? limit, IPushedRequestStore store, TimeProvider time, CancellationToken ct) =>
        {
            var active = await store.ListActiveAsync(client_id, time.GetUtcNow(), Math.Clamp(limit ?? 100, 1, 1000), ct);
            return Results.Json(active.Select(r => new
            {
                id = r.Key,
                client_id = r.ClientId,
                created_at = r.CreatedAt,
                expires_at = r.ExpiresAt,
                via_par = r.ViaPar,
                claimed = r.ClaimedBy is not null,
                scope = r.Request.Scope,
                redirect_uri = r.Request.RedirectUri,
            }));
        });
        admin.MapDelete("/par/{id}", async (string id, HttpContext http, IPushedRequestStore store, AdminAudit audit) =>
        {
            if (!await store.RevokeAsync(id, http.RequestAborted))
            {
                return AdminProblems.NotFound($"No active pushed request '{id}'.");
            }
            await audit.RecordAsync(http, "par.revoke", id, null, null);
            return Results.NoContent();
        });
    }
}
