using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Parapet.Storage.Tests;

/// <summary>The storage services on one provider, migrated and empty.</summary>
public sealed class StoreBinding : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _tempDir;

    private StoreBinding(ServiceProvider services, FakeTimeProvider time, string? tempDir)
    {
        _services = services;
        Time = time;
        _tempDir = tempDir;
    }

    public FakeTimeProvider Time { get; }

    /// <summary>SQLite: the data directory holding <c>parapet.db</c>; null for PostgreSQL.</summary>
    public string? DataDirectory => _tempDir;
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <param name="migrate">False: an empty database that no migration has touched yet.</param>
    public static Task<StoreBinding> SqliteAsync(bool migrate = true)
    {
        var dir = Path.Combine(Path.GetTempPath(), "parapet-store-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return CreateAsync(null, dir, migrate);
    }

    public static Task<StoreBinding> PostgresAsync(string connectionString, bool migrate = true) => CreateAsync(connectionString, null, migrate);

    private static async Task<StoreBinding> CreateAsync(string? database, string? dir, bool migrate)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        services.AddParapetStorage(database, dir ?? Path.GetTempPath());
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        var provider = services.BuildServiceProvider();
        if (migrate)
        {
            await StorageRegistration.MigrateAsync(provider, CancellationToken.None);
        }
        return new StoreBinding(provider, time, dir);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_tempDir is not null)
        {
            try
            {
                Directory.Delete(_tempDir, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS temp cleaner.
            }
        }
    }
}
