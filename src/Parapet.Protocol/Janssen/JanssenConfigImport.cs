using System.Text.Json;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Janssen;

/// <summary>One property the import changed, or left alone and why.</summary>
public sealed record ImportNote(string Name, string Detail);

/// <summary>What a Janssen configuration import would do: the resulting properties, what changed, what was ignored.</summary>
public sealed record ConfigImportPlan(ServerProperties Result, IReadOnlyList<ImportNote> Changed, IReadOnlyList<ImportNote> Ignored);

/// <summary>
/// Maps a Janssen auth-server configuration export (what <c>GET /jans-config-api/api/v1/jans-auth-server/config</c>
/// returns) onto Parapet's properties (DESIGN §3.3). Same-named properties are taken as they are; Janssen's
/// "empty <c>featureFlags</c> means every feature" is made explicit; everything else is reported, never silently dropped.
/// </summary>
public static class JanssenConfigImport
{
    /// <summary>Same name, different meaning: taking Janssen's value would make Parapet worse, so it is reported instead.</summary>
    private static readonly Dictionary<string, string> DifferentMeaning = new(StringComparer.Ordinal)
    {
        ["configurationUpdateInterval"] = "Janssen polls every 30 s whatever this says; Parapet applies changes within a second, so its own value is kept",
    };

    public static Checked<ConfigImportPlan> Plan(JsonObject janssen, ServerProperties current)
    {
        var ours = PropertyDocument.ToJson(current);
        var changed = new List<ImportNote>();
        var ignored = new List<ImportNote>();
        foreach (var (name, value) in janssen)
        {
            var target = name == PropertyDocument.FeatureFlagsAlias ? "featureFlags" : name;
            if (target == "featureFlags")
            {
                ImportFlags(value, ours, changed, ignored);
                continue;
            }
            if (DifferentMeaning.TryGetValue(target, out var why))
            {
                ignored.Add(new ImportNote(name, why));
                continue;
            }
            if (!ours.ContainsKey(target))
            {
                ignored.Add(new ImportNote(name, "not a Parapet property"));
                continue;
            }
            if (value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0 && ours[target] is not JsonValue))
            {
                ignored.Add(new ImportNote(name, "empty in the export; Parapet's value kept"));
                continue;
            }
            if (!JsonNode.DeepEquals(ours[target], value))
            {
                changed.Add(new ImportNote(target, $"{ours[target]?.ToJsonString() ?? "null"} → {value.ToJsonString()}"));
                ours[target] = value.DeepClone();
            }
        }
        if (!janssen.ContainsKey("featureFlags") && !janssen.ContainsKey(PropertyDocument.FeatureFlagsAlias))
        {
            ImportFlags(new JsonArray(), ours, changed, ignored);
        }
        var parsed = PropertyDocument.Parse(ours);
        if (parsed.Failed)
        {
            return parsed.Error!;
        }
        return new ConfigImportPlan(parsed.Value!, changed, ignored);
    }

    /// <summary>Janssen: unknown values are dropped, and an empty result means every feature is on. Parapet stores the explicit list.</summary>
    private static void ImportFlags(JsonNode? value, JsonObject ours, List<ImportNote> changed, List<ImportNote> ignored)
    {
        var listed = (value as JsonArray)?.Select(n => n?.GetValue<string>()?.ToLowerInvariant()).OfType<string>().ToList() ?? [];
        var known = listed.Where(FeatureFlagCatalog.Known.Contains).Distinct().ToList();
        foreach (var unknown in listed.Except(known))
        {
            ignored.Add(new ImportNote($"featureFlags[{unknown}]", "not a Janssen feature flag Parapet knows"));
        }
        if (known.Count == 0)
        {
            known = FeatureFlagCatalog.Known.ToList();
            changed.Add(new ImportNote("featureFlags", "empty in Janssen, which means every feature: made explicit as the full list"));
        }
        foreach (var flag in known.Where(f => !FeatureFlagCatalog.IsImplemented(f)))
        {
            ignored.Add(new ImportNote($"featureFlags[{flag}]", "kept in the list, but Parapet does not implement this feature: no effect"));
        }
        var list = new JsonArray(known.Order(StringComparer.Ordinal).Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        if (!JsonNode.DeepEquals(ours["featureFlags"], list))
        {
            changed.Add(new ImportNote("featureFlags", $"{ours["featureFlags"]?.ToJsonString()} → {list.ToJsonString()}"));
            ours["featureFlags"] = list;
        }
    }
}
