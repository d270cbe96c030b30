using System.CommandLine;
using Parapet.Hosting;

namespace Parapet.Cli;

/// <summary>The <c>parapet</c> command: <c>serve</c> runs the server; the other commands speak the admin API.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Parapet: an OAuth 2.0 / OpenID Connect server built around pushed authorization requests.");
        root.Subcommands.Add(ServeCommand());
        return await root.Parse(args).InvokeAsync();
    }

    private static Command ServeCommand()
    {
        var urls = new Option<string?>("--urls") { Description = "Listen URLs, ';'-separated (env PARAPET_URLS; default http://127.0.0.1:8080)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory (env PARAPET_DATA_DIR; default ./parapet-data)." };
        var db = new Option<string?>("--db") { Description = "Database connection string (env PARAPET_DB; default SQLite in the data directory)." };
        var serve = new Command("serve", "Run the server.") { urls, dataDir, db };
        serve.SetAction(async (parse, ct) =>
        {
            var env = ServerOptions.FromEnvironment();
            var options = env with
            {
                Urls = parse.GetValue(urls) ?? env.Urls,
                DataDir = parse.GetValue(dataDir) ?? env.DataDir,
                Database = parse.GetValue(db) ?? env.Database,
            };
            return await ParapetApp.ServeAsync(options, ct);
        });
        return serve;
    }
}
