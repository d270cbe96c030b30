using System.CommandLine;
using Parapet.Hosting;

namespace Parapet.Cli;

/// <summary><c>parapet serve</c>: runs the server with the start-up options, the only settings that need a restart.</summary>
internal sealed class ServeCommand : Command
{
    private readonly Option<string?> _urls = new("--urls") { Description = "Listen URLs, ';'-separated (env PARAPET_URLS; default http://127.0.0.1:8080)." };
    private readonly Option<string?> _dataDir = new("--data-dir") { Description = "Data directory (env PARAPET_DATA_DIR; default ./parapet-data)." };
    private readonly Option<string?> _db = new("--db") { Description = "Database connection string (env PARAPET_DB; default SQLite in the data directory)." };

    public ServeCommand()
        : base("serve", "Run the server. At first start it writes admin-credentials.json (mode 0600) to the data directory for the other commands.")
    {
        Options.Add(_urls);
        Options.Add(_dataDir);
        Options.Add(_db);
        this.WithExamples("parapet serve", "parapet serve --urls http://127.0.0.1:8311 --data-dir /var/lib/parapet");
        SetAction(async (parse, ct) =>
        {
            var env = ServerOptions.FromEnvironment();
            var options = env with
            {
                Urls = parse.GetValue(_urls) ?? env.Urls,
                DataDir = parse.GetValue(_dataDir) ?? env.DataDir,
                Database = parse.GetValue(_db) ?? env.Database,
            };
            return await ParapetApp.ServeAsync(options, ct);
        });
    }
}
