using System.Text.Json.Nodes;
using Parapet.Protocol.Properties;

namespace Parapet.Cli.Config;

/// <summary>Finds a property in the document by its name, Janssen's <c>enabledFeatureFlags</c> alias, or a different case.</summary>
internal static class PropertyNames
{
    public const string Revision = "revision";

    /// <param name="allowRevision">The revision can be read like a property, never set.</param>
    public static string Resolve(JsonObject document, string name, bool allowRevision = false)
    {
        if (string.Equals(name, PropertyDocument.FeatureFlagsAlias, StringComparison.OrdinalIgnoreCase))
        {
            name = "featureFlags";
        }
        var key = document.ContainsKey(name) ? name
            : document.Select(m => m.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        return key is null || (key == Revision && !allowRevision) ? throw new CliError($"'{name}' is not a known property.") : key;
    }
}
