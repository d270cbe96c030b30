using System.Collections.ObjectModel;
using System.Text.Json.Nodes;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>
/// Auth Server → Properties → enabledFeatureFlags: every feature flag Parapet knows as a checkbox, the ones it implements
/// first. Space switches one at once on the server (PUT or DELETE /config/features/{flag}); the mark shows what the server
/// answered. Typing a flag's first letters selects it.
/// </summary>
internal static class FeatureFlagsDialog
{
    public static void Run(TuiAdmin admin)
    {
        if (admin.Get("/config/features")?.Body is not JsonArray answer)
        {
            return;
        }
        var features = answer.OfType<JsonObject>()
            .OrderBy(f => f["implemented"]?.GetValue<bool>() == true ? 0 : 1)
            .ThenBy(f => TuiText.Member(f, "flag"), StringComparer.Ordinal)
            .ToList();
        var flags = features.Select(f => TuiText.Member(f, "flag")).ToList();
        var rows = features.Select(f =>
            $"{TuiText.Fit(TuiText.Member(f, "flag"), 26)} {(f["implemented"]?.GetValue<bool>() == true ? "" : "no effect in Parapet")}");
        using var dialog = new Dialog { Title = "enabledFeatureFlags", Width = Dim.Percent(90), Height = Dim.Percent(90) };
        var list = new ListView
        {
            X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill(2),
            ShowMarks = true, MarkMultiple = true, KeystrokeNavigator = null!,
        };
        list.SetSource(new ObservableCollection<string>(rows));
        for (var i = 0; i < features.Count; i++)
        {
            list.Source!.SetMark(i, features[i]["enabled"]?.GetValue<bool>() == true);
        }
        list.SelectedItem = 0;
        var typed = "";
        list.KeyDown += (_, key) =>
        {
            if (key == Key.Space && list.SelectedItem is int i)
            {
                // The server decides; the mark follows its answer, so a refused switch leaves the box as it was.
                key.Handled = true;
                typed = "";
                var enable = !list.Source!.IsMarked(i);
                var switched = admin.Send(enable ? HttpMethod.Put : HttpMethod.Delete, "/config/features/" + Uri.EscapeDataString(flags[i]));
                if (switched?.Body?["enabled"] is JsonValue enabled)
                {
                    list.Source.SetMark(i, enabled.GetValue<bool>());
                    list.SetNeedsDraw();
                }
            }
            else if (!key.IsCtrl && !key.IsAlt && key.TryGetPrintableRune(out var rune))
            {
                key.Handled = true;
                typed = flags.Any(f => f.StartsWith(typed + rune, StringComparison.Ordinal)) ? typed + rune : rune.ToString();
                var match = flags.FindIndex(f => f.StartsWith(typed, StringComparison.Ordinal));
                if (match >= 0)
                {
                    list.SelectedItem = match;
                }
            }
        };
        dialog.Add(list, new Label { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Text = "Space switches the flag on the server at once · type to find" });
        dialog.AddButton(new Button { Title = "_Close" });
        list.SetFocus();
        admin.App.Run(dialog);
    }
}
