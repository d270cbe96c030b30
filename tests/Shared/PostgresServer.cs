using System.Diagnostics;
using Npgsql;

namespace Parapet.Tests.Shared;

/// <summary>
/// A throw-away PostgreSQL cluster for the test run: Debian's PostgreSQL binaries, initdb into a temp directory, pg_ctl on a
/// free loopback port. <c>PARAPET_TEST_PG</c> (a connection string) uses an existing server instead. Missing PostgreSQL is a
/// failure, with the reason, so CI never passes without running these tests.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataDir;
    private string? _binDir;
    private bool _asPostgresUser;

    public string AdminConnectionString { get; private set; } = "";

    /// <summary>True when this fixture runs its own cluster (and so can stop and start it).</summary>
    public bool OwnsCluster => _dataDir is not null;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("PARAPET_TEST_PG") is { Length: > 0 } existing)
        {
            AdminConnectionString = existing;
            return;
        }
        _binDir = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (_binDir is null)
        {
            throw new InvalidOperationException("PostgreSQL server binaries were not found under /usr/lib/postgresql (apt-get install postgresql), and PARAPET_TEST_PG is not set.");
        }
        _asPostgresUser = Environment.UserName == "root";
        _dataDir = Path.Combine(Path.GetTempPath(), "parapet-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dataDir);
        if (_asPostgresUser)
        {
            await RunAsync("chown", $"postgres {_dataDir}");
        }
        var port = FreePorts.Next();
        await RunPgAsync("initdb", $"-D {_dataDir}/data -U postgres --auth=trust -E UTF8 --no-sync");
        // The options go into postgresql.auto.conf so a restart (StartAsync) comes back on the same port.
        await File.AppendAllTextAsync($"{_dataDir}/data/postgresql.auto.conf",
            $"port = {port}\nunix_socket_directories = '{_dataDir}'\nlisten_addresses = '127.0.0.1'\nfsync = off\nmax_connections = 500\n");
        await RunPgAsync("pg_ctl", $"-D {_dataDir}/data -l {_dataDir}/log -w start");
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>A fresh, empty database for one test class or test.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "parapet_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    /// <summary>Stops the cluster at once (as a crash would), for outage tests.</summary>
    public Task StopAsync() => RunPgAsync("pg_ctl", $"-D {_dataDir}/data -m immediate -w stop");

    /// <summary>Starts the stopped cluster again on the same port.</summary>
    public Task StartAsync() => RunPgAsync("pg_ctl", $"-D {_dataDir}/data -l {_dataDir}/log -w start");

    public async Task DisposeAsync()
    {
        if (_dataDir is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await RunPgAsync("pg_ctl", $"-D {_dataDir}/data -m immediate -w stop");
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }

    private Task RunPgAsync(string tool, string arguments) =>
        _asPostgresUser
            ? RunAsync("runuser", $"-u postgres -- {Path.Combine(_binDir!, tool)} {arguments}")
            : RunAsync(Path.Combine(_binDir!, tool), arguments);

    private static async Task RunAsync(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {await stderr} {await stdout}");
        }
    }

}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
