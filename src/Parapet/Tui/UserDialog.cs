using System.Text.Json.Nodes;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>A new user: login name, password (masked), display name and e-mail. The server checks the rules and says which one failed.</summary>
internal static class UserDialog
{
    /// <summary>The user to POST, or null when cancelled.</summary>
    public static JsonObject? Run(IApplication app)
    {
        using var dialog = new Dialog { Title = "New user", Width = Dim.Percent(90) };
        var row = 0;
        TextField Field(string label, bool secret = false)
        {
            dialog.Add(new Label { X = 0, Y = row, Text = label });
            var field = new TextField { X = 12, Y = row++, Width = Dim.Fill(), Secret = secret };
            dialog.Add(field);
            return field;
        }
        var username = Field("_Username:");
        var password = Field("_Password:", secret: true);
        var name = Field("_Name:");
        var email = Field("_E-mail:");
        dialog.AddButton(new Button { Title = "_Cancel" });
        dialog.AddButton(new Button { Title = "_Add" });
        username.SetFocus();
        app.Run(dialog);
        if (dialog.Result != 1)
        {
            return null;
        }
        return new JsonObject
        {
            ["username"] = username.Text.Trim(),
            ["password"] = password.Text,
            ["name"] = name.Text.Trim() is { Length: > 0 } n ? n : null,
            ["email"] = email.Text.Trim() is { Length: > 0 } e ? e : null,
        };
    }
}
