using Parapet.Cli;
using Terminal.Gui.App;

namespace Parapet.Tui;

/// <summary>
/// <c>parapet tui</c>: Janssen's text UI navigation (Auth Server → Properties, Clients; Users) over the admin API,
/// with the same connection options and credentials as the other commands.
/// </summary>
internal sealed class TuiCommand : AdminCommand
{
    public TuiCommand(CliEnvironment env)
        : base("tui", "Open the text UI: properties (with feature flags under enabledFeatureFlags), clients and users.", env, json: false) =>
        this.WithExamples("parapet tui --data-dir ./parapet-data", "parapet tui --server https://op.example --admin-client-id ID --admin-client-secret SECRET");

    protected override Task RunAsync(CliContext context, CancellationToken ct)
    {
        using var app = Application.Create().Init();
        var admin = new TuiAdmin(context.Admin, app);
        using var main = new MainView(admin);
        app.Run(main);
        return Task.CompletedTask;
    }
}
