using Parapet.Protocol.Storage;
using Parapet.Storage.Stores;

namespace Parapet.Storage.Sqlite;

/// <summary>
/// Spent identifiers on SQLite go through the one writer thread that also stores pushed requests. SQLite has one write lock;
/// a second writer waits for it with sleeps (the busy handler), which cost a JWT-authenticated push several times the work of
/// a secret-authenticated one (bench auth-methods). On the writer they share its transactions' commit instead.
/// </summary>
internal sealed class SqliteReplayCache(PushedRequestWriter writer) : IReplayCache
{
    public Task<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct) =>
        writer.RecordReplayAsync(new ReplayEntry(key, Time.Ms(expiresAt), Time.Ms(now)));
}
