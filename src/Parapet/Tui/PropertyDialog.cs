using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>
/// Edits one property whose value is a JSON string, number or boolean: a text field, a number field or a checkbox.
/// Ranges and URL syntax are the server's to check, so its message is the one the operator sees.
/// </summary>
internal static class PropertyDialog
{
    /// <summary>The new value, or null when cancelled.</summary>
    public static JsonNode? Run(IApplication app, string name, JsonValue current)
    {
        var kind = current.GetValueKind();
        using var dialog = new Dialog { Title = name, Width = Dim.Percent(90) };
        View field;
        Func<JsonNode?> read;
        switch (kind)
        {
            case JsonValueKind.True or JsonValueKind.False:
                var box = new CheckBox { Text = name, Value = current.GetValue<bool>() ? CheckState.Checked : CheckState.UnChecked };
                field = box;
                read = () => JsonValue.Create(box.Value == CheckState.Checked);
                break;
            case JsonValueKind.Number:
                var number = NumberField(current.ToJsonString());
                field = number;
                read = () => long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : null;
                break;
            default:
                var text = new TextField { Text = TuiText.Display(current), Width = Dim.Fill() };
                field = text;
                read = () => JsonValue.Create(text.Text);
                break;
        }
        var about = kind switch
        {
            JsonValueKind.True or JsonValueKind.False => "Space toggles.",
            JsonValueKind.Number => "A whole number.",
            _ => "Text; an empty value is sent as \"\".",
        };
        field.Y = 0;
        dialog.Add(field, new Label { Y = 2, Text = about });
        dialog.AddButton(new Button { Title = "_Cancel" });
        dialog.AddButton(new Button { Title = "_Save" });
        field.SetFocus();
        app.Run(dialog);
        if (dialog.Result != 1)
        {
            return null;
        }
        var value = read();
        if (value is null)
        {
            MessageBox.ErrorQuery(app, name, $"'{name}' takes a whole number.", "_OK");
        }
        return value;
    }

    /// <summary>A text field that takes only an optional minus sign and digits.</summary>
    internal static TextField NumberField(string text)
    {
        var field = new TextField { Text = text, Width = 12 };
        field.ValueChanging += (_, e) =>
        {
            var proposed = e.NewValue ?? "";
            e.Handled = !proposed.Select((c, i) => char.IsAsciiDigit(c) || (c == '-' && i == 0)).All(ok => ok);
        };
        return field;
    }
}
