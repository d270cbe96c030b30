using System.Data.Common;

namespace Parapet.Storage.Sqlite;

/// <summary>A checkpoint on a connection, and what it reports (SQLite's <c>PRAGMA wal_checkpoint</c> row).</summary>
/// <param name="Busy">Another connection was checkpointing, so this one did nothing.</param>
/// <param name="LogFrames">Frames in the log.</param>
/// <param name="CheckpointedFrames">Of those, frames now copied into the database file.</param>
internal readonly record struct WalCheckpoint(bool Busy, long LogFrames, long CheckpointedFrames)
{
    /// <summary>Every frame of the log is in the database file: the next write transaction may start the log over.</summary>
    public bool Complete => !Busy && LogFrames == CheckpointedFrames;

    /// <param name="restart">False: PASSIVE, never waits. True: RESTART, waits (with the connection's busy timeout) for the
    /// writer and the readers of the log, and holds new writers back until the log is copied, so the next write starts it over.</param>
    /// <param name="schema">The attached database to checkpoint (without one SQLite checkpoints them all and reports the last).</param>
    public static WalCheckpoint Run(DbConnection connection, bool restart = false, string schema = "main")
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {schema}.wal_checkpoint({(restart ? "RESTART" : "PASSIVE")});";
        using var reader = command.ExecuteReader();
        // Not in WAL mode (a read-only or in-memory database) the row is (0, -1, -1): nothing to copy, so complete.
        return reader.Read() ? new WalCheckpoint(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2)) : default;
    }
}
