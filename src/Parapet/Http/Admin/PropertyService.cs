using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Storage;

namespace Parapet.Http.Admin;

/// <summary>
/// Reading and changing the properties: a change is applied to the whole document, validated as a whole, then stored as the
/// next revision (compare-and-set), and this node's snapshot is refreshed at once; other nodes follow by polling.
/// </summary>
internal sealed class PropertyService(IPropertyStore store, LivePropertySource live, AdminAudit audit)
{
    public sealed record Outcome(PropertySnapshot? Snapshot, OAuthError? Error, bool Conflict = false);

    public async Task<PropertySnapshot> CurrentAsync(CancellationToken ct) => await live.RefreshAsync(ct);

    /// <summary>Applies an RFC 6902 patch. Janssen's paths without a leading '/' and the alias <c>enabledFeatureFlags</c> are accepted.</summary>
    public async Task<Outcome> PatchAsync(string actor, JsonNode? patch, long? expectedRevision, CancellationToken ct)
    {
        if (patch is not JsonArray operations)
        {
            return new Outcome(null, OAuthErrors.Request("The body must be a JSON Patch document (an array of operations, RFC 6902)."));
        }
        foreach (var op in operations.OfType<JsonObject>())
        {
            foreach (var member in new[] { "path", "from" })
            {
                if (op[member] is JsonValue v && v.TryGetValue<string>(out var path))
                {
                    path = path.StartsWith('/') ? path : "/" + path;
                    op[member] = path.StartsWith("/" + PropertyDocument.FeatureFlagsAlias, StringComparison.Ordinal)
                        ? "/featureFlags" + path[(PropertyDocument.FeatureFlagsAlias.Length + 1)..]
                        : path;
                }
            }
        }
        return await ChangeAsync(actor, expectedRevision, document =>
        {
            JsonPatchDocument? doc;
            try
            {
                doc = operations.Deserialize<JsonPatchDocument>();
            }
            catch (JsonException)
            {
                return OAuthErrors.Request("The JSON Patch document is malformed: each operation needs 'op' and 'path' (RFC 6902 §4).");
            }
            if (doc is null)
            {
                return OAuthErrors.Request("The JSON Patch document is empty.");
            }
            string? failure = null;
            try
            {
                doc.ApplyTo(document, e => failure ??= e.ErrorMessage);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = e.Message;
            }
            return failure is null ? null : OAuthErrors.Request($"The patch could not be applied: {failure}");
        }, ct);
    }

    public Task<Outcome> SetFeatureAsync(string actor, string flag, bool enabled, CancellationToken ct) =>
        ChangeAsync(actor, null, document =>
        {
            var flags = (document["featureFlags"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [];
            flags.RemoveAll(f => string.Equals(f, flag, StringComparison.OrdinalIgnoreCase));
            if (enabled)
            {
                flags.Add(flag.ToLowerInvariant());
            }
            document["featureFlags"] = new JsonArray(flags.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
            return null;
        }, ct);

    private async Task<Outcome> ChangeAsync(string actor, long? expectedRevision, Func<JsonObject, OAuthError?> change, CancellationToken ct)
    {
        var current = await live.RefreshAsync(ct);
        if (expectedRevision is not null && expectedRevision != current.Revision)
        {
            return new Outcome(current, OAuthErrors.Request($"The properties changed since revision {expectedRevision}; the current revision is {current.Revision}."), Conflict: true);
        }
        var document = PropertyDocument.ToJson(current.Properties);
        if (change(document) is { } error)
        {
            return new Outcome(null, error);
        }
        if (document["issuer"] is null)
        {
            // A removed property returns to Parapet's default, except the issuer, which has no safe default.
            return new Outcome(null, OAuthErrors.Request("Property 'issuer' cannot be removed."));
        }
        var parsed = PropertyDocument.Parse(document);
        if (parsed.Failed)
        {
            return new Outcome(null, parsed.Error);
        }
        if (!await store.SaveAsync(parsed.Value!, current.Revision, ct))
        {
            return new Outcome(await live.RefreshAsync(ct), OAuthErrors.Request("The properties were changed by someone else at the same time; read them again and retry."), Conflict: true);
        }
        await audit.RecordPropertyChangesAsync(actor, PropertyDocument.ToJson(current.Properties), PropertyDocument.ToJson(parsed.Value!), ct);
        return new Outcome(await live.RefreshAsync(ct), null);
    }
}
