using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parapet.Cli.Config;

/// <summary>
/// <c>parapet config set NAME VALUE</c>: one JSON Patch <c>replace</c>, guarded by the revision it was read at.
/// VALUE is read as the property's current JSON type; the server validates and names the property if it is wrong.
/// </summary>
internal sealed class ConfigSetCommand : AdminCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "The property name, e.g. requirePar (enabledFeatureFlags is an alias of featureFlags)." };
    private readonly Argument<string> _value = new("VALUE") { Description = "true/false, a number, text, or a list as a,b,c or a JSON array." };

    public ConfigSetCommand(CliEnvironment env)
        : base("set", "Change one property.", env)
    {
        Arguments.Add(_name);
        Arguments.Add(_value);
        this.WithExamples(
            "parapet config set requirePar true",
            "parapet config set defaultParLifetime 120",
            "parapet config set featureFlags par,registration,userinfo",
            "parapet config set enabledFeatureFlags '[\"par\",\"userinfo\"]'");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var current = await context.Admin.GetAsync("/config", ct);
        var document = current.Body as JsonObject ?? throw new CliError("The server answered GET /admin/v1/config without a JSON object.");
        var name = PropertyNames.Resolve(document, context.Parse.GetValue(_name)!);
        var value = Parse(document[name], context.Parse.GetValue(_value)!);
        var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/" + name, ["value"] = value });
        var updated = await context.Admin.SendJsonAsync(HttpMethod.Patch, "/config", patch, ct, "application/json-patch+json", current.ETag);
        if (context.Json)
        {
            TextTable.WriteJson(context.Out, updated.Body);
            return;
        }
        context.Out.WriteLine($"{name} = {TextTable.Format(updated.Body?[name])} (revision {TextTable.Member(updated.Body, PropertyNames.Revision)})");
    }

    /// <summary>Text that does not fit the type is sent as a string, so the server's message (which names the property) is what the operator sees.</summary>
    internal static JsonNode? Parse(JsonNode? current, string text) => current?.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => bool.TryParse(text, out var b) ? JsonValue.Create(b) : JsonValue.Create(text),
        JsonValueKind.Number => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(text),
        JsonValueKind.Array => ParseList(text),
        _ => JsonValue.Create(text),
    };

    private static JsonArray ParseList(string text)
    {
        if (text.TrimStart().StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(text) as JsonArray ?? throw new CliError("The value is not a JSON array.");
            }
            catch (JsonException e)
            {
                throw new CliError($"The value is not a valid JSON array: {e.Message}");
            }
        }
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new JsonArray(items.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
    }
}
