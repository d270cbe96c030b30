using System.Text.Json.Nodes;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>
/// A client's metadata as a form: client id (when adding), name, redirect URIs, post-logout redirect URIs (OIDC RP-Initiated
/// Logout), authentication method, Janssen's PAR lifetime and Require PAR, trusted, the FAPI 2.0 switch and DPoP-bound tokens
/// (RFC 9449 §5.2), as the CLI and the admin API set them. The server validates it exactly as for dynamic registration.
/// </summary>
internal static class ClientDialog
{
    private const int LabelWidth = 16;

    /// <summary>The metadata to send (POST when <paramref name="client"/> is null, else PATCH), or null when cancelled.</summary>
    public static JsonObject? Run(IApplication app, JsonObject? client)
    {
        using var dialog = new Dialog { Title = client is null ? "New client" : $"Client {TuiText.Member(client, "client_id")}", Width = Dim.Percent(90) };
        var row = 0;
        TextField Field(string label, string text, string? about = null)
        {
            dialog.Add(new Label { X = 0, Y = row, Text = label });
            var field = new TextField { X = LabelWidth, Y = row, Width = Dim.Fill(), Text = text };
            dialog.Add(field);
            row++;
            if (about is not null)
            {
                var note = TuiText.Plain(about);
                note.X = LabelWidth;
                note.Y = row++;
                note.Width = Dim.Fill();
                dialog.Add(note);
            }
            return field;
        }
        var id = client is null ? Field("Client _ID:", "", "empty: generated") : null;
        var name = Field("_Name:", TuiText.Member(client, "client_name"));
        var redirects = Field("_Redirect URIs:", Uris(client?["redirect_uris"]), "separated by spaces");
        var logoutRedirects = Field("_Logout URIs:", Uris(client?["post_logout_redirect_uris"]), "post_logout_redirect_uris, separated by spaces");
        var method = Field("_Auth method:", client is null ? "client_secret_basic" : TuiText.Member(client, "token_endpoint_auth_method"),
            "client_secret_basic, client_secret_post or none");
        dialog.Add(new Label { X = 0, Y = row, Text = "_PAR lifetime:" });
        var lifetime = PropertyDialog.NumberField(TuiText.Integer(client?["par_lifetime"]) is int n and > 0 ? TuiText.Number(n) : "");
        lifetime.X = LabelWidth;
        lifetime.Y = row;
        dialog.Add(lifetime, new Label { X = Pos.Right(lifetime) + 1, Y = row++, Text = "seconds, 5-3600; empty: server default" });
        var requirePar = Box("Re_quire PAR", client?["require_par"]);
        var trusted = Box("_Trusted (no consent page)", client?["trusted"]);
        var fapi = Box("_FAPI 2.0 (fapi_compatibility)", client?["fapi_compatibility"]);
        var dpop = Box("_DPoP-bound tokens (dpop_bound_access_tokens)", client?["dpop_bound_access_tokens"]);
        CheckBox Box(string text, JsonNode? value)
        {
            var box = new CheckBox { X = LabelWidth, Y = row++, Text = text, Value = value?.GetValue<bool>() == true ? CheckState.Checked : CheckState.UnChecked };
            dialog.Add(box);
            return box;
        }
        dialog.AddButton(new Button { Title = "_Cancel" });
        dialog.AddButton(new Button { Title = client is null ? "Creat_e" : "_Save" });
        (id ?? name).SetFocus();
        app.Run(dialog);
        if (dialog.Result != 1)
        {
            return null;
        }

        var metadata = new JsonObject
        {
            ["client_name"] = name.Text.Trim(),
            ["redirect_uris"] = UriArray(redirects.Text),
            ["post_logout_redirect_uris"] = UriArray(logoutRedirects.Text),
            ["token_endpoint_auth_method"] = method.Text.Trim(),
            ["require_par"] = requirePar.Value == CheckState.Checked,
            ["trusted"] = trusted.Value == CheckState.Checked,
            ["fapi_compatibility"] = fapi.Value == CheckState.Checked,
            ["dpop_bound_access_tokens"] = dpop.Value == CheckState.Checked,
        };
        if (id is not null && id.Text.Trim() is { Length: > 0 } clientId)
        {
            metadata["client_id"] = clientId;
        }
        if (long.TryParse(lifetime.Text, out var seconds))
        {
            metadata["par_lifetime"] = seconds;
        }
        else if (client is not null)
        {
            metadata["par_lifetime"] = 0; // DESIGN §3.2: 0 means the server's defaultParLifetime.
        }
        return metadata;
    }

    private static string Uris(JsonNode? list) => string.Join(' ', (list as JsonArray ?? []).Select(TuiText.Display));

    private static JsonArray UriArray(string text) =>
        new([.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(u => (JsonNode)JsonValue.Create(u))]);
}
