using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Properties;

/// <summary>
/// Reads and writes the stored JSON document of the properties. A document is checked as a whole
/// (types, then ranges and URLs) before it may be stored; the error names the property.
/// </summary>
public static class PropertyDocument
{
    /// <summary>Janssen's docs say <c>enabledFeatureFlags</c>; its configuration stores <c>featureFlags</c>.</summary>
    public const string FeatureFlagsAlias = "enabledFeatureFlags";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // The web defaults would read "600" as 600 and "requirePAR" as requirePar; property names and types are exact (DESIGN §3.1).
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        WriteIndented = false,
    };

    public static JsonObject ToJson(ServerProperties properties) =>
        JsonSerializer.SerializeToNode(properties, Json)!.AsObject();

    public static string Serialize(ServerProperties properties) => JsonSerializer.Serialize(properties, Json);

    /// <summary>Parses and validates a whole document.</summary>
    public static Checked<ServerProperties> Parse(JsonNode? document)
    {
        if (document is not JsonObject obj)
        {
            return Invalid("The properties document must be a JSON object.");
        }
        obj = (JsonObject)obj.DeepClone();
        if (obj.ContainsKey(FeatureFlagsAlias))
        {
            var alias = obj[FeatureFlagsAlias];
            obj.Remove(FeatureFlagsAlias);
            obj["featureFlags"] = alias?.DeepClone();
        }
        ServerProperties? parsed;
        try
        {
            parsed = obj.Deserialize<ServerProperties>(Json);
        }
        catch (JsonException e)
        {
            return Invalid(DescribeJsonError(e));
        }
        return parsed is null ? Invalid("The properties document is empty.") : PropertyValidator.Validate(parsed);
    }

    public static Checked<ServerProperties> Parse(string json)
    {
        try
        {
            return Parse(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return Invalid("The properties document is not valid JSON.");
        }
    }

    internal static OAuthError Invalid(string description) => OAuthErrors.Request(description);

    private static string DescribeJsonError(JsonException e)
    {
        var name = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.').Split('.', '[')[0] : null;
        if (name is null)
        {
            return "The properties document is not valid.";
        }
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"'{name}' is not a known property.";
        }
        var expected = typeof(ServerProperties).GetProperties()
            .FirstOrDefault(p => p.GetCustomAttributes(typeof(JsonPropertyNameAttribute), false)
                .OfType<JsonPropertyNameAttribute>().Any(a => a.Name == name))?.PropertyType;
        var kind = expected == typeof(bool) ? "a boolean"
            : expected == typeof(int) ? "an integer"
            : expected == typeof(string) ? "a string"
            : expected is not null ? "a list of strings" : "a valid value";
        return $"Property '{name}' must be {kind}.";
    }
}
