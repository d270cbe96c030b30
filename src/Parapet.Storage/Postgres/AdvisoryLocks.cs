namespace Parapet.Storage.Postgres;

/// <summary>PostgreSQL advisory lock keys, one per job that only one node may run at a time.</summary>
internal static class AdvisoryLocks
{
    public const long Migrations = 0x5041_5241_0001; // "PARA" + 1
    public const long Sweeper = 0x5041_5241_0002;
}
