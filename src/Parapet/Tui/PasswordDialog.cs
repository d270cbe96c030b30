using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>A new password for a user, typed twice (masked) so a typo does not lock them out.</summary>
internal static class PasswordDialog
{
    /// <summary>The new password, or null when cancelled or the two entries differ.</summary>
    public static string? Run(IApplication app, string username)
    {
        using var dialog = new Dialog { Title = $"Password of {username}", Width = Dim.Percent(90) };
        var first = new TextField { X = 10, Y = 0, Width = Dim.Fill(), Secret = true };
        var second = new TextField { X = 10, Y = 1, Width = Dim.Fill(), Secret = true };
        dialog.Add(new Label { X = 0, Y = 0, Text = "_Password:" }, first, new Label { X = 0, Y = 1, Text = "_Repeat:" }, second);
        dialog.AddButton(new Button { Title = "_Cancel" });
        dialog.AddButton(new Button { Title = "_Set" });
        first.SetFocus();
        app.Run(dialog);
        if (dialog.Result != 1)
        {
            return null;
        }
        if (first.Text != second.Text)
        {
            MessageBox.ErrorQuery(app, "Password", "The two entries differ; the password was not changed.", "_OK");
            return null;
        }
        return first.Text;
    }
}
