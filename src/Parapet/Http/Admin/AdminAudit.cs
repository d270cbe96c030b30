using System.Text.Json.Nodes;
using Parapet.Protocol.Audit;
using Parapet.Protocol.Storage;

namespace Parapet.Http.Admin;

/// <summary>Writes the audit trail for every admin change (DESIGN §6), masking secrets before anything is stored.</summary>
internal sealed class AdminAudit(IAuditStore store, TimeProvider time)
{
    public const string RegistrationActor = "registration";
    private static readonly string[] SecretMembers = ["client_secret", "password", "registration_access_token"];

    public static string ActorOf(HttpContext http) => http.Items[AdminAuthorization.AdminActorKey] as string ?? "unknown";

    public Task RecordAsync(HttpContext http, string action, string target, JsonNode? before, JsonNode? after) =>
        RecordAsync(ActorOf(http), action, target, before, after, http.RequestAborted);

    public Task RecordAsync(string actor, string action, string target, JsonNode? before, JsonNode? after, CancellationToken ct) =>
        store.AddAsync([new AuditEntry(time.GetUtcNow(), actor, action, target, Mask(before), Mask(after))], ct);

    /// <summary>One entry per top-level property whose value changed.</summary>
    public Task RecordPropertyChangesAsync(string actor, JsonObject before, JsonObject after, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var entries = after.Where(p => !JsonNode.DeepEquals(before[p.Key], p.Value))
            .Select(p => new AuditEntry(now, actor, "property.change", p.Key, before[p.Key]?.ToJsonString(), p.Value?.ToJsonString()))
            .ToList();
        return store.AddAsync(entries, ct);
    }

    private static string? Mask(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }
        var copy = node.DeepClone();
        if (copy is JsonObject obj)
        {
            foreach (var member in SecretMembers.Where(obj.ContainsKey))
            {
                obj[member] = AuditEntry.Masked;
            }
        }
        return copy.ToJsonString();
    }
}
