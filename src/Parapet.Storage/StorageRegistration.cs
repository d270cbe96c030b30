using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parapet.Protocol.Storage;
using Parapet.Storage.Postgres;
using Parapet.Storage.Sqlite;
using Parapet.Storage.Stores;

namespace Parapet.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the store on the configured database. <paramref name="database"/> is a PostgreSQL connection string
    /// (<c>Host=…</c>) or empty for the embedded SQLite file <c>parapet.db</c> in <paramref name="dataDirectory"/>.
    /// </summary>
    public static IServiceCollection AddParapetStorage(this IServiceCollection services, string? database, string dataDirectory)
    {
        if (IsPostgres(database))
        {
            AddPostgres(services, database!);
        }
        else
        {
            AddSqlite(services, string.IsNullOrWhiteSpace(database)
                ? $"Data Source={Path.Combine(dataDirectory, "parapet.db")};Pooling=True"
                : database);
        }
        services.AddSingleton<Func<ParapetDbContext>>(sp => sp.GetRequiredService<IContextFactory>().Create);

        services.AddSingleton<PushedRequestWriter>();
        services.AddSingleton<IPushedRequestStore, PushedRequestStore>();
        services.AddSingleton<ITokenStore, TokenStore>();
        services.AddSingleton<ClientStore>();
        services.AddSingleton<IClientStore, CachingClientStore>();
        services.AddSingleton<IUserStore, UserStore>();
        services.AddSingleton<IPropertyStore, PropertyStore>();
        services.AddSingleton<IAuditStore, AuditStore>();
        services.AddSingleton<IRegistrationTokenStore, RegistrationTokenStore>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<EncryptionKeyStore>();
        services.AddSingleton<LivePropertySource>();
        services.AddSingleton<Protocol.Properties.IPropertySource>(sp => sp.GetRequiredService<LivePropertySource>());
        services.AddHostedService(sp => sp.GetRequiredService<LivePropertySource>());
        services.AddSingleton<ExpiredObjectSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiredObjectSweeper>());
        services.AddScoped(sp => (ParapetDbContext)sp.GetRequiredService<IContextFactory>().Create());
        services.AddDataProtection().SetApplicationName("parapet").PersistKeysToDbContext<ParapetDbContext>();
        return services;
    }

    // One method per provider: the JIT resolves every call in a method it compiles, and with both branches in one method the
    // embedded store loaded the PostgreSQL provider's assembly for nothing (~0.5 MB resident; bench/README.md, session 9).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddPostgres(IServiceCollection services, string database)
    {
        services.AddPooledDbContextFactory<PostgresParapetDbContext>(o => o
            .UseNpgsql(database)
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
        services.AddSingleton<IContextFactory, ContextFactory<PostgresParapetDbContext>>();
        services.AddSingleton(PushedRequestTables.MainOnly);
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<PostgresChangeListener>(sp, database));
        services.AddSingleton<IReplayCache, ReplayCache>();
    }

    private static void AddSqlite(IServiceCollection services, string connectionString)
    {
        var files = new SqliteFiles(connectionString);
        services.AddSingleton(files);
        services.AddSingleton(files.Tables);
        services.AddPooledDbContextFactory<SqliteParapetDbContext>(o => o
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas(files))
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
        services.AddSingleton<IContextFactory, ContextFactory<SqliteParapetDbContext>>();
        services.AddHostedService<SqliteCheckpointer>();
        services.AddSingleton<IReplayCache, SqliteReplayCache>();
    }

    /// <summary>A PostgreSQL connection string (Npgsql keywords); anything else is a SQLite one.</summary>
    public static bool IsPostgres(string? database) =>
        !string.IsNullOrWhiteSpace(database) && database.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>The migrations of this build that the database has not applied yet (EF Core's history table).</summary>
    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var db = services.GetRequiredService<IContextFactory>().Create();
        return await PendingAsync(db, ct);
    }

    /// <summary>
    /// Applies pending migrations (EF Core serialises concurrent migrators with a database lock, so several nodes may start at
    /// once) and turns on SQLite's WAL (persistent in the file, so once is enough); on SQLite, then gives the second file its
    /// table (<see cref="SqliteFiles.PrepareAsync"/>). Nothing pending, EF Core's migrator does not run: it would otherwise
    /// build and compare the whole model at every start to warn about model changes without a migration, which the storage
    /// contract checks instead (tests: StoreContract.Migrations.cs).
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var db = services.GetRequiredService<IContextFactory>().Create();
        if ((await PendingAsync(db, ct)).Count > 0)
        {
            await ApplyMigrationsAsync(db, ct);
        }
        if (services.GetService<SqliteFiles>() is { } files)
        {
            await files.PrepareAsync(db, ct);
        }
    }

    /// <summary>
    /// The migrations not applied yet. Npgsql's provider learns whether EF Core's history table exists by reading it and
    /// catching the failure, which EF Core has already logged at error level: every first start of a PostgreSQL node printed
    /// "fail:" lines. There the catalogue is asked instead (and <see cref="ApplyMigrationsAsync"/> creates the table first).
    /// </summary>
    private static async Task<IReadOnlyList<string>> PendingAsync(ParapetDbContext db, CancellationToken ct)
    {
        if (db is PostgresParapetDbContext && !await PostgresHistoryExistsAsync(db, ct))
        {
            return [.. db.Database.GetMigrations()];
        }
        return [.. await db.Database.GetPendingMigrationsAsync(ct)];
    }

    private static async Task<bool> PostgresHistoryExistsAsync(ParapetDbContext db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<bool>("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\"").SingleAsync(ct);

    private static async Task ApplyMigrationsAsync(ParapetDbContext db, CancellationToken ct)
    {
        // A type test, not IsNpgsql(): that extension lives in the PostgreSQL provider's assembly, loaded for it alone.
        if (db is PostgresParapetDbContext)
        {
            // Nodes starting together queue here; the first migrates, the others find nothing left to do.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLocks.Migrations})", ct);
            try
            {
                // EF Core's own script (CREATE TABLE IF NOT EXISTS), so that its migrator finds the table (see PendingAsync).
                await db.Database.ExecuteSqlRawAsync(db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLocks.Migrations})", CancellationToken.None);
            }
            return;
        }
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
