using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parapet.Cli;
using Parapet.Protocol.Properties;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>
/// Auth Server → Properties: every server property with its current value, filtered as you type. Enter opens an editor
/// chosen by the value's JSON type; a save is one JSON Patch guarded by If-Match, so a stale screen cannot overwrite a newer
/// revision. The feature flags are the entry <c>enabledFeatureFlags</c>, as Janssen's docs name it.
/// </summary>
internal sealed class PropertiesView : View, ISection
{
    private const int NameWidth = 32;

    private readonly TuiAdmin _admin;
    private readonly Action<AdminResponse> _changed;
    private readonly TextField _filter = new() { X = 8, Y = 0, Width = Dim.Fill() };
    private readonly ListView _list = new() { X = 0, Y = 2, Width = Dim.Fill(), Height = Dim.Fill(), KeystrokeNavigator = null! };
    private List<(string Name, JsonNode? Value)> _rows = [];
    private List<(string Name, JsonNode? Value)> _shown = [];
    private string? _etag;

    public PropertiesView(TuiAdmin admin, Action<AdminResponse> changed)
    {
        _admin = admin;
        _changed = changed;
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
        var columns = new Label { X = 0, Y = 1, Width = Dim.Fill(), Text = $"{TuiText.Fit("PROPERTY", NameWidth)} VALUE" };
        Add(new Label { X = 0, Y = 0, Text = "_Filter:" }, _filter, columns, _list);

        _filter.TextChanged += (_, _) => Filter();
        _filter.Accepting += (_, e) =>
        {
            e.Handled = true;
            EditSelected();
        };
        _filter.KeyDown += (_, key) =>
        {
            if (key == Key.CursorDown || key == Key.PageDown)
            {
                key.Handled = true;
                _list.SetFocus();
            }
        };
        _list.Accepting += (_, e) =>
        {
            e.Handled = true;
            EditSelected();
        };
        _list.KeyDown += (_, key) =>
        {
            // Typing in the list goes on typing in the filter.
            var text = _filter.Text;
            if (key == Key.Backspace && text.Length > 0)
            {
                text = text[..^1];
            }
            else if (!key.IsCtrl && !key.IsAlt && key.TryGetPrintableRune(out var rune))
            {
                text += rune.ToString();
            }
            else
            {
                return;
            }
            key.Handled = true;
            _filter.Text = text;
            _filter.SetFocus();
            _filter.MoveEnd();
        };
    }

    public string Breadcrumb => "Auth Server › Properties";

    public string Hints => "type to filter · ↑↓ select · Enter edit · Esc back";

    public void Enter() => _filter.SetFocus();

    /// <summary>Shows a document read from the server (a newer revision); the selection stays on the same property.</summary>
    public void Show(JsonObject document, string? etag)
    {
        _etag = etag;
        _rows = document
            .Where(p => p.Key != "revision")
            .Select(p => (p.Key == "featureFlags" ? PropertyDocument.FeatureFlagsAlias : p.Key, p.Value))
            .OrderBy(p => p.Item1, StringComparer.OrdinalIgnoreCase)
            .ToList();
        Filter();
    }

    private void Filter()
    {
        var selected = _list.SelectedItem is int i && i < _shown.Count ? _shown[i].Name : null;
        var text = _filter.Text.Trim();
        // The exact name first, then names that start with the text, then the rest that contain it.
        _shown = _rows.Where(r => r.Name.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Name.Equals(text, StringComparison.OrdinalIgnoreCase) ? 0 : r.Name.StartsWith(text, StringComparison.OrdinalIgnoreCase) ? 1 : 2)
            .ToList();
        _list.SetSource(new ObservableCollection<string>(_shown.Select(r => $"{TuiText.Fit(r.Name, NameWidth)} {TuiText.Display(r.Value)}")));
        var index = _shown.FindIndex(r => r.Name == selected);
        _list.SelectedItem = _shown.Count == 0 ? null : Math.Max(index, 0);
    }

    private void EditSelected()
    {
        if (_list.SelectedItem is not int i || i >= _shown.Count)
        {
            return;
        }
        var (name, value) = _shown[i];
        // The revision the operator saw when the editor opened: a change polled in meanwhile must make the save fail (412), not be overwritten.
        var seen = _etag;
        if (name == PropertyDocument.FeatureFlagsAlias)
        {
            FeatureFlagsDialog.Run(_admin);
            // Each toggle was its own change; read the document once for the new revision.
            if (_admin.Get("/config") is { } config)
            {
                _changed(config);
            }
            return;
        }
        var edited = value switch
        {
            JsonArray list => StringListDialog.Run(_admin.App, name, list.Select(n => TuiText.Display(n)).ToList()) is { } items
                ? new JsonArray(items.Select(s => (JsonNode)JsonValue.Create(s)).ToArray())
                : null,
            JsonValue v => PropertyDialog.Run(_admin.App, name, v),
            _ => null,
        };
        if (edited is null || JsonNode.DeepEquals(edited, value))
        {
            return;
        }
        var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/" + name, ["value"] = edited });
        if (_admin.Send(HttpMethod.Patch, "/config", patch, seen, "application/json-patch+json") is { } updated)
        {
            _changed(updated);
        }
    }
}
