namespace Parapet.Storage.Stores;

internal static class Time
{
    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
