using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Parapet.Hosting;
using Parapet.Storage;

namespace Parapet.Cli;

/// <summary>
/// <c>parapet migrate</c>: applies pending EF Core migrations to the database without starting the server
/// (DESIGN §5), e.g. before starting several nodes on a new release. One of the few commands that use the database directly.
/// </summary>
internal sealed class MigrateCommand : Command
{
    private readonly Option<string?> _dataDir = new("--data-dir") { Description = "Data directory holding the SQLite file (env PARAPET_DATA_DIR; default ./parapet-data).", HelpName = "DIR" };
    private readonly Option<string?> _db = new("--db") { Description = "Database connection string (env PARAPET_DB; default SQLite in the data directory).", HelpName = "CONNECTION-STRING" };

    public MigrateCommand(CliEnvironment env)
        : base("migrate", "Apply pending database migrations without starting the server.")
    {
        Options.Add(_dataDir);
        Options.Add(_db);
        this.WithExamples("parapet migrate --data-dir /var/lib/parapet");
        SetAction((parse, ct) => CliRunner.GuardAsync(env, async () =>
        {
            var dataDir = parse.GetValue(_dataDir) ?? env.VariableOrNull("PARAPET_DATA_DIR") ?? ServerOptions.DefaultDataDir;
            var db = parse.GetValue(_db) ?? env.VariableOrNull("PARAPET_DB");
            Directory.CreateDirectory(dataDir);
            var services = new ServiceCollection().AddLogging().AddParapetStorage(db, dataDir);
            await using var provider = services.BuildServiceProvider();
            await StorageRegistration.MigrateAsync(provider, ct);
            var where = string.IsNullOrWhiteSpace(db) ? Path.GetFullPath(Path.Combine(dataDir, "parapet.db")) : "the database";
            await env.Out.WriteLineAsync($"The schema of {where} is up to date.");
        }));
    }
}
