using System.Collections.ObjectModel;
using System.Text.Json.Nodes;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>Users: the end users who sign in on the login page; add, set a password, delete. Password hashes never leave the server.</summary>
internal sealed class UsersView : View, ISection
{
    private readonly TuiAdmin _admin;
    private readonly ListView _list = new() { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(), KeystrokeNavigator = null! };
    private List<JsonObject> _users = [];

    public UsersView(TuiAdmin admin)
    {
        _admin = admin;
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
        Add(new Label { X = 0, Y = 0, Width = Dim.Fill(), Text = Row("USERNAME", "NAME", "EMAIL", "DISABLED") }, _list);
        _list.Accepting += (_, e) =>
        {
            e.Handled = true;
            SetPassword();
        };
        _list.KeyDown += (_, key) =>
        {
            Action? action = key == Key.N || key == Key.A ? Add : key == Key.P ? SetPassword
                : key == Key.D || key == Key.Delete ? Delete : key == Key.F5 ? Reload : null;
            if (action is not null)
            {
                key.Handled = true;
                action();
            }
        };
    }

    public string Breadcrumb => "Users";

    public string Hints => "N new · Enter/P set password · D delete · F5 reload · Esc back";

    public void Enter()
    {
        Reload();
        _list.SetFocus();
    }

    private static string Row(string username, string name, string email, string disabled) =>
        $"{TuiText.Fit(username, 20)} {TuiText.Fit(name, 20)} {TuiText.Fit(email, 26)} {disabled}";

    private JsonObject? Selected => _list.SelectedItem is int i && i < _users.Count ? _users[i] : null;

    private static string PathOf(JsonObject user) => "/users/" + Uri.EscapeDataString(TuiText.Member(user, "username"));

    private void Reload(string? select)
    {
        select ??= Selected is { } current ? TuiText.Member(current, "username") : null;
        _users = (_admin.Get("/users")?.Body as JsonArray ?? []).OfType<JsonObject>().ToList();
        _list.SetSource(new ObservableCollection<string>(_users.Select(u => Row(
            TuiText.Member(u, "username"), TuiText.Member(u, "name"), TuiText.Member(u, "email"), TuiText.Member(u, "disabled")))));
        var index = _users.FindIndex(u => TuiText.Member(u, "username") == select);
        _list.SelectedItem = _users.Count == 0 ? null : Math.Max(index, 0);
    }

    private void Reload() => Reload(select: null);

    private void Add()
    {
        if (UserDialog.Run(_admin.App) is { } user && _admin.Send(HttpMethod.Post, "/users", user)?.Body is JsonObject created)
        {
            Reload(TuiText.Member(created, "username"));
        }
    }

    private void SetPassword()
    {
        if (Selected is not { } user || PasswordDialog.Run(_admin.App, TuiText.Member(user, "username")) is not { } password)
        {
            return;
        }
        if (_admin.Send(HttpMethod.Put, PathOf(user) + "/password", new JsonObject { ["password"] = password }) is not null)
        {
            MessageBox.Query(_admin.App, "Password set", $"The password of '{TuiText.Member(user, "username")}' was changed.", "_OK");
        }
    }

    private void Delete()
    {
        if (Selected is not { } user)
        {
            return;
        }
        var username = TuiText.Member(user, "username");
        if (MessageBox.Query(_admin.App, "Delete user", $"Delete user '{username}'? They can no longer sign in.", "_Delete", "_Cancel") == 0
            && _admin.Send(HttpMethod.Delete, PathOf(user)) is not null)
        {
            Reload();
        }
    }
}
