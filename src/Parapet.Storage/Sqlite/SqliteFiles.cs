using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Parapet.Storage.Stores;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// The embedded store's files: the database (<c>parapet.db</c>) and, beside it, a second file that holds pushed requests
/// only (<c>parapet-par.db</c>), attached to every connection as <see cref="SecondSchema"/>. The push writer alternates
/// between the two (<see cref="AlternatingLogs"/>) so that it never waits for a checkpoint: while it appends to one file's
/// write-ahead log, the other's is copied into its database file and started over, by another thread. An in-memory database
/// has no log to restart and gets no second file.
/// </summary>
internal sealed class SqliteFiles
{
    /// <summary>The name the second file is attached under; its table is <c>par.pushed_requests</c>.</summary>
    public const string SecondSchema = "par";

    // Per connection (busy_timeout, wal_autocheckpoint) and per file (the others): see SqlitePragmas for why each. Each
    // connection keeps a page cache per attached file (2 MB by default); the pages are in the OS's cache anyway, and the
    // full flow's peak RSS (≤ 150 MB, issue 5) went from ~147-150 to 150-153 MB with the second file attached to every pooled
    // connection. 128 KB for the database (claims, codes and tokens are point look-ups), 40 KB (SQLite's least, ten pages) for
    // the second file (claims only): 150.2 MB in the last run, the flow 392 flows/s (bench/README.md, session 8).
    private const string CommonPragmas =
        "PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=0; PRAGMA main.synchronous=NORMAL; PRAGMA main.journal_size_limit=67108864;";
    private const string MainPragmas = CommonPragmas + " PRAGMA main.cache_size=-128;";
    private const string SecondPragmas =
        "PRAGMA " + SecondSchema + ".synchronous=NORMAL; PRAGMA " + SecondSchema + ".journal_size_limit=67108864; PRAGMA " + SecondSchema + ".cache_size=-40;";
    // The writer appends at the right edge of each B-tree (keys and expiries in the order of issue), but with a million rows
    // stored that is three paths of four or five pages each plus the pages a split touches: at 64 KB POST /par lost 29 % of its
    // throughput on the 1 M-row store (pages read again from the log on every insert); 512 KB holds them (bench/README.md).
    private const string WriterPragmas = CommonPragmas + " PRAGMA main.cache_size=-512;";
    // A checkpoint copies log frames to the file without the page cache.
    private const string CheckpointPragmas = CommonPragmas + " PRAGMA main.cache_size=-64;";
    private const string SecondTable = SecondSchema + "." + PushedRequestTables.Main;

    /// <summary>
    /// SQLite handles already configured; an entry goes with its handle when the pool lets the connection go. For the whole
    /// process, as Microsoft.Data.Sqlite's pools are: a second service provider on the same file (a test, the CLI) gets the
    /// same handles back.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, SQLitePCL.sqlite3> Configured = [];

    public SqliteFiles(string connectionString)
    {
        ConnectionString = connectionString;
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var inMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
        if (!inMemory)
        {
            var path = Path.GetFullPath(builder.DataSource);
            SecondPath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-par" + Path.GetExtension(path));
            builder.DataSource = SecondPath;
            SecondConnectionString = builder.ToString();
        }
        Tables = SecondPath is null ? PushedRequestTables.MainOnly : new([PushedRequestTables.Main, SecondTable]);
    }

    public string ConnectionString { get; }

    /// <summary>The second file; null for an in-memory database.</summary>
    public string? SecondPath { get; }

    public string? SecondConnectionString { get; }

    /// <summary>The pushed-request tables, the database's first: every look-up tries them in this order.</summary>
    public PushedRequestTables Tables { get; }

    /// <summary>
    /// The settings every connection of the server gets, and the second file attached; once per SQLite connection. A pooled
    /// connection comes back with both (they belong to SQLite's handle, which the pool keeps open), and EF Core opens a
    /// connection for nearly every command: the PRAGMAs alone had cost each open a statement.
    /// </summary>
    public void Configure(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle!;
        if (Configured.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = MainPragmas;
        command.ExecuteNonQuery();
        if (SecondPath is not null)
        {
            command.CommandText = "ATTACH DATABASE $path AS " + SecondSchema + ";";
            var path = command.CreateParameter();
            path.ParameterName = "$path";
            path.Value = SecondPath;
            command.Parameters.Add(path);
            command.ExecuteNonQuery();
            command.Parameters.Clear();
            command.CommandText = SecondPragmas;
            command.ExecuteNonQuery();
        }
        Configured.AddOrUpdate(handle, handle);
    }

    /// <summary>
    /// A connection of the writer's own to one file, the other not attached: SQLite's <c>BEGIN IMMEDIATE</c> takes the write
    /// lock of every database attached to the connection, and the writer must hold only the one it appends to.
    /// </summary>
    /// <param name="forCheckpoints">A connection that only checkpoints: it needs almost no page cache.</param>
    public SqliteConnection OpenAlone(bool second, bool forCheckpoints = false)
    {
        var connection = new SqliteConnection(second ? SecondConnectionString : ConnectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = forCheckpoints ? CheckpointPragmas : WriterPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Gives the second file the table and indexes the migrations gave the database's <c>pushed_requests</c>, in WAL mode.
    /// Migrations own the database file only; when one has changed the table since the second file's was made, the rows there
    /// are first copied into the database's table (its new shape), then the second file's table is made again.
    /// </summary>
    public async Task PrepareAsync(ParapetDbContext db, CancellationToken ct)
    {
        if (SecondPath is null)
        {
            return;
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA " + SecondSchema + ".journal_mode=WAL;", ct);
        var wanted = await DefinitionAsync(db, "main", ct);
        var present = await DefinitionAsync(db, SecondSchema, ct);
        if (wanted.SequenceEqual(present, StringComparer.Ordinal))
        {
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (present.Count > 0)
        {
            // OR IGNORE: a crash after the database's commit and before the second file's leaves the rows in both; the next
            // start copies them again, harmlessly.
            var columns = string.Join(",", (await ColumnsAsync(db, SecondSchema, ct)).Intersect(await ColumnsAsync(db, "main", ct)).Select(c => $"\"{c}\""));
            var copy = $"INSERT OR IGNORE INTO main.{PushedRequestTables.Main} ({columns}) SELECT {columns} FROM {SecondTable}; DROP TABLE {SecondTable};";
            // The column names are the two tables' own, read from SQLite's catalogue above.
            await db.Database.ExecuteSqlRawAsync(copy, ct);
        }
        foreach (var statement in wanted)
        {
            // "CREATE TABLE x" / "CREATE INDEX i ON x": the schema goes before the name created (SQLite stores it without).
            var create = CreateIn.Replace(statement, "$1" + SecondSchema + ".", 1);
            await db.Database.ExecuteSqlRawAsync(create, ct);
        }
        await transaction.CommitAsync(ct);
    }

    private static readonly System.Text.RegularExpressions.Regex CreateIn = new(@"^(CREATE (?:UNIQUE )?(?:TABLE|INDEX) )", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The statements that made the table and its indexes in <paramref name="schema"/>, the table's first.</summary>
    private static async Task<List<string>> DefinitionAsync(ParapetDbContext db, string schema, CancellationToken ct)
    {
        var query = "SELECT sql AS \"Value\" FROM " + schema + ".sqlite_master WHERE tbl_name = {0} AND sql IS NOT NULL ORDER BY type DESC, name";
        return await db.Database.SqlQueryRaw<string>(query, PushedRequestTables.Main).ToListAsync(ct);
    }

    private static async Task<List<string>> ColumnsAsync(ParapetDbContext db, string schema, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_table_info({0}, {1})", PushedRequestTables.Main, schema).ToListAsync(ct);
}
