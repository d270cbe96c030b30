using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parapet.Protocol.Properties;

namespace Parapet.Http.Admin;

/// <summary>
/// <c>/admin/v1/config</c>: GET the properties with the revision as ETag; PATCH with JSON Patch, optionally guarded by If-Match.
/// <c>/admin/v1/config/features</c>: the feature flags, one by one.
/// </summary>
internal static class ConfigEndpoints
{
    public static void MapConfig(this RouteGroupBuilder admin)
    {
        admin.MapGet("/config", GetAsync);
        admin.MapPatch("/config", PatchAsync);
        admin.MapGet("/config/features", ListFeaturesAsync);
        admin.MapGet("/config/features/{flag}", GetFeatureAsync);
        admin.MapPut("/config/features/{flag}", (string flag, PropertyService service, HttpContext http) => SetFeatureAsync(flag, true, service, http));
        admin.MapDelete("/config/features/{flag}", (string flag, PropertyService service, HttpContext http) => SetFeatureAsync(flag, false, service, http));
    }

    private static async Task<IResult> GetAsync(HttpContext http, PropertyService service)
    {
        var snapshot = await service.CurrentAsync(http.RequestAborted);
        return Document(http, snapshot);
    }

    private static async Task<IResult> PatchAsync(HttpContext http, PropertyService service)
    {
        JsonNode? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return AdminProblems.BadRequest("The body is not valid JSON.");
        }
        long? expected = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (ifMatch.Length > 0 && ifMatch != "*")
        {
            if (!long.TryParse(ifMatch.Trim('"', 'W', '/'), CultureInfo.InvariantCulture, out var revision))
            {
                return AdminProblems.BadRequest("If-Match must be the ETag of GET /admin/v1/config.");
            }
            expected = revision;
        }
        var outcome = await service.PatchAsync(AdminAudit.ActorOf(http), patch, expected, http.RequestAborted);
        if (outcome.Conflict)
        {
            return AdminProblems.Problem(expected is null ? StatusCodes.Status409Conflict : StatusCodes.Status412PreconditionFailed, outcome.Error!.Description, "conflict");
        }
        return outcome.Error is not null ? AdminProblems.BadRequest(outcome.Error.Description) : Document(http, outcome.Snapshot!);
    }

    private static async Task<IResult> ListFeaturesAsync(HttpContext http, PropertyService service)
    {
        var p = (await service.CurrentAsync(http.RequestAborted)).Properties;
        var flags = FeatureFlagCatalog.Known.Order(StringComparer.Ordinal).Select(f => Feature(p, f));
        return Results.Json(flags);
    }

    private static async Task<IResult> GetFeatureAsync(string flag, HttpContext http, PropertyService service)
    {
        flag = flag.ToLowerInvariant();
        if (!FeatureFlagCatalog.Known.Contains(flag))
        {
            return AdminProblems.NotFound($"'{flag}' is not a feature flag.");
        }
        return Results.Json(Feature((await service.CurrentAsync(http.RequestAborted)).Properties, flag));
    }

    private static async Task<IResult> SetFeatureAsync(string flag, bool enabled, PropertyService service, HttpContext http)
    {
        flag = flag.ToLowerInvariant();
        if (!FeatureFlagCatalog.Known.Contains(flag))
        {
            return AdminProblems.NotFound($"'{flag}' is not a feature flag.");
        }
        var outcome = await service.SetFeatureAsync(AdminAudit.ActorOf(http), flag, enabled, http.RequestAborted);
        if (outcome.Error is not null)
        {
            return outcome.Conflict ? AdminProblems.Conflict(outcome.Error.Description) : AdminProblems.BadRequest(outcome.Error.Description);
        }
        http.Response.Headers.ETag = ETag(outcome.Snapshot!.Revision);
        return Results.Json(Feature(outcome.Snapshot.Properties, flag));
    }

    private static object Feature(ServerProperties p, string flag) => new
    {
        flag,
        enabled = p.IsEnabled(flag),
        implemented = FeatureFlagCatalog.IsImplemented(flag),
    };

    private static IResult Document(HttpContext http, PropertySnapshot snapshot)
    {
        http.Response.Headers.ETag = ETag(snapshot.Revision);
        var json = PropertyDocument.ToJson(snapshot.Properties);
        json["revision"] = snapshot.Revision;
        return Results.Json(json);
    }

    private static string ETag(long revision) => $"\"{revision}\"";
}
