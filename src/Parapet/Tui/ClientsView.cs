using System.Collections.ObjectModel;
using System.Text.Json.Nodes;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>Auth Server → Clients: the registered clients with their PAR settings; add, edit, rotate a secret, delete.</summary>
internal sealed class ClientsView : View, ISection
{
    private readonly TuiAdmin _admin;
    private readonly ListView _list = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(), KeystrokeNavigator = null! };
    private List<JsonObject> _clients = [];

    public ClientsView(TuiAdmin admin)
    {
        _admin = admin;
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
        Add(new Label { X = 0, Y = 0, Width = Dim.Fill(), Text = Row("CLIENT ID", "NAME", "AUTH METHOD", "PAR", "REQUIRE PAR") }, _list);
        _list.Accepting += (_, e) =>
        {
            e.Handled = true;
            Edit();
        };
        _list.KeyDown += (_, key) =>
        {
            Action? action = key == Key.N ? Add : key == Key.E ? Edit : key == Key.R ? RotateSecret
                : key == Key.D || key == Key.Delete ? Delete : key == Key.F5 ? Reload : null;
            if (action is not null)
            {
                key.Handled = true;
                action();
            }
        };
    }

    public string Breadcrumb => "Auth Server › Clients";

    public string Hints => "N new · Enter/E edit · R rotate secret · D delete · F5 reload · Esc back";

    public void Enter()
    {
        Reload();
        _list.SetFocus();
    }

    private static string Row(string id, string name, string method, string lifetime, string requirePar) =>
        $"{TuiText.Fit(id, 20)} {TuiText.Fit(name, 18)} {TuiText.Fit(method, 19)} {TuiText.Fit(lifetime, 5)} {requirePar}";

    private void Reload(string? select)
    {
        select ??= Selected is { } current ? TuiText.Member(current, "client_id") : null;
        _clients = (_admin.Get("/clients")?.Body as JsonArray ?? []).OfType<JsonObject>().ToList();
        _list.SetSource(new ObservableCollection<string>(_clients.Select(c => Row(
            TuiText.Member(c, "client_id"), TuiText.Member(c, "client_name"), TuiText.Member(c, "token_endpoint_auth_method"),
            TuiText.Integer(c["par_lifetime"]) is int n and > 0 ? TuiText.Number(n) : "-",
            TuiText.Member(c, "require_par")))));
        var index = _clients.FindIndex(c => TuiText.Member(c, "client_id") == select);
        _list.SelectedItem = _clients.Count == 0 ? null : Math.Max(index, 0);
    }

    private void Reload() => Reload(select: null);

    private JsonObject? Selected => _list.SelectedItem is int i && i < _clients.Count ? _clients[i] : null;

    private static string PathOf(JsonObject client) => "/clients/" + Uri.EscapeDataString(TuiText.Member(client, "client_id"));

    private void Add()
    {
        if (ClientDialog.Run(_admin.App, null) is not { } metadata
            || _admin.Send(HttpMethod.Post, "/clients", metadata)?.Body is not JsonObject created)
        {
            return;
        }
        Reload(TuiText.Member(created, "client_id"));
        ShowSecret("Client created", created);
    }

    private void Edit()
    {
        if (Selected is not { } client || ClientDialog.Run(_admin.App, client) is not { } metadata)
        {
            return;
        }
        if (_admin.Send(HttpMethod.Patch, PathOf(client), metadata) is not null)
        {
            Reload();
        }
    }

    private void RotateSecret()
    {
        if (Selected is not { } client)
        {
            return;
        }
        var id = TuiText.Member(client, "client_id");
        if (MessageBox.Query(_admin.App, "Rotate secret", $"Issue a new secret for '{id}'? The old one stops working at once.", "_Rotate", "_Cancel") != 0)
        {
            return;
        }
        if (_admin.Send(HttpMethod.Post, PathOf(client) + "/secret")?.Body is JsonObject rotated)
        {
            ShowSecret("Secret rotated", rotated);
        }
    }

    private void Delete()
    {
        if (Selected is not { } client)
        {
            return;
        }
        var id = TuiText.Member(client, "client_id");
        // Cancel is the last button, so Enter keeps the client.
        if (MessageBox.Query(_admin.App, "Delete client", $"Delete client '{id}'? Its tokens and pushed requests stop working.", "_Delete", "_Cancel") != 0)
        {
            return;
        }
        if (_admin.Send(HttpMethod.Delete, PathOf(client)) is not null)
        {
            Reload();
        }
    }

    private void ShowSecret(string title, JsonObject client)
    {
        if (client["client_secret"] is not JsonValue secret)
        {
            return;
        }
        MessageBox.Query(_admin.App, title,
            $"client_id: {TuiText.Member(client, "client_id")}\nclient_secret: {secret}\n\nStore it now: it is shown only this once (the server keeps only a hash).",
            false, "_OK");
    }
}
