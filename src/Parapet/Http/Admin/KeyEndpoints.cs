using Parapet.Hosting;
using Parapet.Protocol.Properties;
using Parapet.Storage.Stores;

namespace Parapet.Http.Admin;

/// <summary><c>/admin/v1/keys</c>: the signing keys by id, algorithm and status (never their private parts), and rotation.</summary>
internal static class KeyEndpoints
{
    public static void MapKeys(this RouteGroupBuilder admin)
    {
        admin.MapGet("/keys", async (SigningKeyStore store, CancellationToken ct) => Results.Json(View(await store.ListAsync(ct))))
            .WithSummary("List the signing keys: kid, alg, status (next, current, previous, retired) and times");
        admin.MapPost("/keys/rotate", async (HttpContext http, SigningKeys keys, SigningKeyStore store, IPropertySource source, AdminAudit audit) =>
        {
            if (!await keys.RotateAsync(source.Current.Properties, http.RequestAborted))
            {
                return AdminProblems.Conflict("Another rotation happened at the same moment; list the keys and retry if needed.");
            }
            var listed = View(await store.ListAsync(http.RequestAborted));
            await audit.RecordAsync(http, "keys.rotate", "signing-keys", null, null);
            return Results.Json(listed);
        }).WithSummary("Rotate the signing keys: next becomes current, current becomes previous, a new next is published");
    }

    private static IEnumerable<object> View(IReadOnlyList<StoredSigningKey> keys) => keys
        .OrderBy(k => StatusOrder(k.Status)).ThenByDescending(k => k.CreatedAt)
        .Select(k => new
        {
            kid = k.KeyId,
            alg = k.Algorithm,
            status = k.Status,
            created_at = k.CreatedAt,
            changed_at = k.ChangedAt,
            retire_at = k.RetireAt,
        });

    private static int StatusOrder(string status) => status switch
    {
        SigningKeyStatus.Current => 0,
        SigningKeyStatus.Next => 1,
        SigningKeyStatus.Previous => 2,
        _ => 3,
    };
}
