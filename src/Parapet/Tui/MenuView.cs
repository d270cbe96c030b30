using System.Collections.ObjectModel;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>The main menu, in Janssen's order: Auth Server → Properties and Clients, then Users.</summary>
internal sealed class MenuView : View, ISection
{
    private static readonly (string Label, string About, Key Key)[] Entries =
    [
        ("Auth Server › Properties", "properties; feature flags: enabledFeatureFlags", Key.P),
        ("Auth Server › Clients", "clients, PAR lifetime, Require PAR, secrets", Key.C),
        ("Users", "end users of the login page", Key.U),
        ("Quit", "Esc here, Ctrl+Q anywhere", Key.Q),
    ];

    private readonly ListView _list;

    public MenuView(Action<int> open)
    {
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
        _list = new ListView { X = 1, Y = 1, Width = Dim.Fill(1), Height = Dim.Fill(), KeystrokeNavigator = null! };
        _list.SetSource(new ObservableCollection<string>(Entries.Select(e => $"{TuiText.Fit(e.Label, 26)} {e.About}")));
        _list.SelectedItem = 0;
        _list.Accepting += (_, e) =>
        {
            e.Handled = true;
            open(_list.SelectedItem ?? 0);
        };
        _list.KeyDown += (_, key) =>
        {
            var index = Array.FindIndex(Entries, e => e.Key == key);
            if (index >= 0)
            {
                key.Handled = true;
                _list.SelectedItem = index;
                open(index);
            }
        };
        Add(_list);
    }

    public string Breadcrumb => "Main menu";

    public string Hints => "↑↓ Enter open · P Properties · C Clients · U Users · Q/Esc quit";

    public void Enter() => _list.SetFocus();
}
