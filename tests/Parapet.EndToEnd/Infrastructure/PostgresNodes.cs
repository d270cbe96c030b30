using Parapet.Tests.Shared;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>
/// Two real <c>parapet serve</c> nodes sharing one PostgreSQL database of a throw-away cluster that this fixture owns
/// (so a test may stop and restart it). Node A starts first and creates the schema and the admin client; B joins.
/// </summary>
public sealed class PostgresNodes : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();
    public string Database { get; private set; } = "";
    public ParapetProcess A { get; private set; } = null!;
    public ParapetProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        Database = await Postgres.CreateDatabaseAsync();
        A = new ParapetProcess { ExtraArgs = ["--db", Database] };
        await A.InitializeAsync();
        B = await StartNodeAsync();
    }

    /// <summary>Another node on the same database, with node A's admin credentials and key-encryption key.</summary>
    public async Task<ParapetProcess> StartNodeAsync()
    {
        var node = new ParapetProcess
        {
            ExtraArgs = ["--db", Database, "--key-encryption-key", Path.Combine(A.DataDir, "key-encryption.key")],
            SharedAdmin = A.Admin,
        };
        await node.InitializeAsync();
        return node;
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
