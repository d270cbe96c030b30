namespace Parapet.Storage.Stores;

/// <summary>
/// The tables pushed requests live in: <c>pushed_requests</c>, and on the embedded store also its twin in the second file
/// (<see cref="Sqlite.SqliteFiles"/>). The first is the database's own, where the codes are too.
/// </summary>
public sealed class PushedRequestTables(IReadOnlyList<string> names)
{
    public const string Main = "pushed_requests";

    /// <summary>The database's table alone (PostgreSQL; SQLite in memory).</summary>
    public static PushedRequestTables MainOnly { get; } = new([Main]);

    public IReadOnlyList<PushedRequestTable> All { get; } = [.. names.Select(name => new PushedRequestTable(name))];

    /// <summary>All, the one at <paramref name="first"/> first: where a look-up most likely finds its row.</summary>
    public IEnumerable<PushedRequestTable> StartingWith(int first)
    {
        yield return All[first];
        for (var i = 0; i < All.Count; i++)
        {
            if (i != first)
            {
                yield return All[i];
            }
        }
    }
}

/// <summary>
/// The statements of <see cref="PushedRequestStore"/> for one table, written once: SQL because EF Core maps an entity to one
/// table. The name is one of <see cref="PushedRequestTables"/>' own, never a caller's; the values are parameters ({0}, …).
/// </summary>
public sealed class PushedRequestTable(string name)
{
    public string Name { get; } = name;

    public bool IsMain => Name == PushedRequestTables.Main;

    /// <summary>{0} claimed until, {1} browser, {2} key, {3} client, {4} now; the row as claimed, or none.</summary>
    internal string Claim { get; } = $$"""
        UPDATE {{name}} SET "ExpiresAt" = CASE WHEN "ClaimedBy" IS NULL THEN {0} ELSE "ExpiresAt" END, "ClaimedBy" = {1}
        WHERE "Key" = {2} AND "ClientId" = {3} AND "ConsumedAt" IS NULL AND "ExpiresAt" > {4} AND ("ClaimedBy" IS NULL OR "ClaimedBy" = {1})
        RETURNING *
        """;

    /// <summary>{0} now, {1} key, {2} browser.</summary>
    internal string Consume { get; } = $$"""
        UPDATE {{name}} SET "ConsumedAt" = {0} WHERE "Key" = {1} AND "ClaimedBy" = {2} AND "ConsumedAt" IS NULL AND "ExpiresAt" > {0}
        """;

    /// <summary>{0} key.</summary>
    internal string Delete { get; } = $$"""DELETE FROM {{name}} WHERE "Key" = {0}""";

    /// <summary>{0} now, {1} batch size: the oldest expired rows first.</summary>
    internal string DeleteExpired { get; } = $$"""
        DELETE FROM {{name}} WHERE "Key" IN (SELECT "Key" FROM {{name}} WHERE "ExpiresAt" <= {0} ORDER BY "ExpiresAt" LIMIT {1})
        """;

    /// <summary>Every row, for LINQ to compose on.</summary>
    internal string SelectAll { get; } = $"SELECT * FROM {name}";
}
