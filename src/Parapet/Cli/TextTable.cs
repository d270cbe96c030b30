using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary>Human output: aligned columns, and JSON values shown the way an operator types them.</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        WriteRow(output, headers, widths);
        foreach (var row in all)
        {
            WriteRow(output, row, widths);
        }
    }

    /// <summary>A two-column table of an object's members (a client, the properties).</summary>
    public static void WriteObject(TextWriter output, JsonObject obj, IEnumerable<string>? skip = null)
    {
        var hidden = skip?.ToHashSet() ?? [];
        Write(output, ["NAME", "VALUE"], obj.Where(m => !hidden.Contains(m.Key)).Select(m => (IReadOnlyList<string>)[m.Key, Format(m.Value)]));
    }

    public static void WriteJson(TextWriter output, JsonNode? node) =>
        output.WriteLine(node?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null");

    /// <summary>Strings bare, lists comma-separated, everything else as JSON.</summary>
    public static string Format(JsonNode? node) => node switch
    {
        null => "",
        JsonArray array => string.Join(",", array.Select(Format)),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    public static string Member(JsonNode? node, string name) => Format(node?[name]);

    private static void WriteRow(TextWriter output, IReadOnlyList<string> cells, int[] widths)
    {
        var padded = cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]));
        output.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
