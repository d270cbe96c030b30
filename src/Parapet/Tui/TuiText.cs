using System.Globalization;
using System.Text.Json;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>How values read in a list row: fixed-width columns and JSON values as an operator types them.</summary>
internal static class TuiText
{
    /// <summary>Left-aligned in <paramref name="width"/> columns, cut with '…' when longer.</summary>
    public static string Fit(string text, int width) =>
        text.Length <= width ? text.PadRight(width) : text[..(width - 1)] + "…";

    public static string Display(JsonNode? value) => value switch
    {
        null => "",
        JsonArray list => string.Join(", ", list.Select(Display)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => value.ToJsonString(),
    };

    public static string Member(JsonNode? item, string name) => Display(item?[name]);

    /// <summary>A label that shows its text as is: an '_' (client_secret_basic, an issuer) is not a hot-key mark.</summary>
    public static Label Plain(string text = "") => new() { Text = text, HotKeySpecifier = new Rune(0xFFFF), Height = 1 };

    public static int? Integer(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) ? n : null;

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
