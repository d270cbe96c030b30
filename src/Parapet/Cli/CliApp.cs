using System.CommandLine;
using Parapet.Cli.Clients;
using Parapet.Cli.Config;

namespace Parapet.Cli;

/// <summary>The <c>parapet</c> command: <c>serve</c> runs the server; the other commands speak the admin API.</summary>
public static class CliApp
{
    private const string Description = """
        Parapet: an OAuth 2.0 / OpenID Connect server built around pushed authorization requests.

        The operator commands (config, features, clients, users, par, keys, registration-tokens, audit, import, profiles, tui)
        speak the admin API of a running server.
        They find it through admin-credentials.json in --data-dir (env PARAPET_DATA_DIR, default ./parapet-data), which
        'parapet serve' writes at first start; --server URL with --admin-client-id and --admin-client-secret
        (env PARAPET_SERVER, PARAPET_CLIENT_ID, PARAPET_CLIENT_SECRET) reach any other server. --client-id and
        --client-secret are accepted as their short forms everywhere except 'clients add', where they describe the new client.
        Add --json to print the server's JSON. Exit code 0 on success, 1 on error (the reason is on stderr).
        """;

    public static Task<int> RunAsync(string[] args) => RunAsync(args, new CliEnvironment(), CancellationToken.None);

    internal static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct)
    {
        var root = new RootCommand(Description)
        {
            new ServeCommand(),
            new MigrateCommand(env),
            new ConfigCommand(env),
            new FeaturesCommand(env),
            new ClientsCommand(env),
            new UsersCommand(env),
            new ParCommand(env),
            new KeysCommand(env),
            new RegistrationTokensCommand(env),
            new AuditCommand(env),
            new ImportCommand(env),
            new ProfilesCommand(env),
            new CompletionCommand(env),
            new Tui.TuiCommand(env),
        };
        root.WithExamples("parapet serve --data-dir ./parapet-data", "parapet --help", "parapet config get requirePar --data-dir ./parapet-data");
        AdminCommand.PlaceConnectionOptionsLast(root);
        HelpExamples.Enable(root);
        var invocation = new InvocationConfiguration { Output = env.Out, Error = env.Error };
        return await root.Parse(args).InvokeAsync(invocation, ct);
    }
}
