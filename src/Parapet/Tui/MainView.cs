using System.Text.Json.Nodes;
using Parapet.Cli;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>
/// The main window: a header naming the server (issuer, revision), one screen at a time, and a status line with the keys.
/// The properties are polled every two seconds, so a change made elsewhere (CLI, another node, the database) shows here.
/// </summary>
internal sealed class MainView : Window
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly TuiAdmin _admin;
    private readonly Label _header = TuiText.Plain();
    private readonly Label _status = new() { X = 0, Y = Pos.AnchorEnd(1), Width = Dim.Fill(), Height = 1 };
    private readonly View _screen = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(1), CanFocus = true };
    private readonly MenuView _menu;
    private readonly PropertiesView _properties;
    private readonly View[] _sections;
    private View _current;
    private long? _revision;
    private bool _polling;

    public MainView(TuiAdmin admin)
    {
        _admin = admin;
        _header.Width = Dim.Fill();
        _menu = new MenuView(Open);
        _properties = new PropertiesView(admin, ShowConfig);
        _sections = [_properties, new ClientsView(admin), new UsersView(admin)];
        foreach (var view in _sections.Prepend(_menu))
        {
            view.Visible = false;
            _screen.Add(view);
        }
        Add(_header, _screen, _status);
        _current = _menu;
        KeyDown += OnKeyDown;
        Initialized += (_, _) =>
        {
            Show(_menu);
            if (admin.Get("/config") is { } config)
            {
                ShowConfig(config);
            }
            admin.App.AddTimeout(PollInterval, Poll);
        };
    }

    private void Open(int entry)
    {
        if (entry >= _sections.Length)
        {
            App?.RequestStop();
            return;
        }
        Show(_sections[entry]);
    }

    private void Show(View section)
    {
        _current.Visible = false;
        _current = section;
        section.Visible = true;
        var s = (ISection)section;
        Title = "Parapet › " + s.Breadcrumb;
        _status.Text = s.Hints;
        s.Enter();
    }

    private void OnKeyDown(object? sender, Key key)
    {
        if (key == Key.Esc && _current != _menu)
        {
            // Esc goes back one level; on the main menu it quits, as everywhere in Terminal.Gui.
            key.Handled = true;
            Show(_menu);
        }
        else if (key == Key.Q.WithCtrl)
        {
            key.Handled = true;
            App?.RequestStop();
        }
    }

    private bool Poll()
    {
        if (!_polling)
        {
            _polling = true;
            _ = PollAsync();
        }
        return true;
    }

    private async Task PollAsync()
    {
        var config = await _admin.GetInBackgroundAsync("/config");
        _admin.App.Invoke(() =>
        {
            _polling = false;
            if (config is not null)
            {
                ShowConfig(config);
            }
        });
    }

    /// <summary>A newer revision updates the header and the properties list; the same revision changes nothing on screen.</summary>
    private void ShowConfig(AdminResponse config)
    {
        if (config.Body is not JsonObject document)
        {
            return;
        }
        var revision = document["revision"]?.GetValue<long>();
        if (revision == _revision)
        {
            return;
        }
        _revision = revision;
        _header.Text = $"issuer {TuiText.Member(document, "issuer")}  ·  revision {revision}";
        _properties.Show(document, config.ETag);
    }
}
