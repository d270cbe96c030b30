using System.Collections.ObjectModel;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>Edits a list of strings: type a value and press Enter to add it; Enter on an item takes it back to edit; Delete removes it.</summary>
internal static class StringListDialog
{
    /// <summary>The new list, or null when cancelled.</summary>
    public static List<string>? Run(IApplication app, string name, List<string> current)
    {
        var items = new ObservableCollection<string>(current);
        using var dialog = new Dialog { Title = name, Width = Dim.Percent(90), Height = Dim.Percent(80) };
        var list = new ListView { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(4), KeystrokeNavigator = null! };
        list.SetSource(items);
        list.SelectedItem = items.Count > 0 ? 0 : null;
        var value = new TextField { X = 7, Y = Pos.AnchorEnd(3), Width = Dim.Fill() };
        var hint = new Label { X = 0, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Text = "Enter in Value adds · Enter on an item edits it · Delete removes" };
        dialog.Add(list, new Label { X = 0, Y = Pos.AnchorEnd(3), Text = "_Value:" }, value, hint);

        value.Accepting += (_, e) =>
        {
            // An empty field lets Enter reach the Save button.
            if (value.Text.Trim() is { Length: > 0 } text)
            {
                e.Handled = true;
                items.Add(text);
                value.Text = "";
                list.SelectedItem = items.Count - 1;
            }
        };
        list.Accepting += (_, e) =>
        {
            e.Handled = true;
            if (list.SelectedItem is int i && i < items.Count)
            {
                value.Text = items[i];
                items.RemoveAt(i);
                value.SetFocus();
                value.MoveEnd();
            }
        };
        list.KeyDown += (_, key) =>
        {
            if ((key == Key.Delete || key == Key.Backspace) && list.SelectedItem is int i && i < items.Count)
            {
                key.Handled = true;
                items.RemoveAt(i);
                list.SelectedItem = items.Count == 0 ? null : Math.Min(i, items.Count - 1);
            }
        };
        dialog.AddButton(new Button { Title = "_Cancel" });
        dialog.AddButton(new Button { Title = "_Save" });
        value.SetFocus();
        app.Run(dialog);
        return dialog.Result == 1 ? items.ToList() : null;
    }
}
