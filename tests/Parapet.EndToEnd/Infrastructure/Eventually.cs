namespace Parapet.EndToEnd.Infrastructure;

/// <summary>Polls for something another process does on its own schedule (a property change applied), up to a deadline.</summary>
public static class Eventually
{
    /// <summary>Returns how long it took for <paramref name="condition"/> to hold; fails with <paramref name="what"/> after <paramref name="deadline"/>.</summary>
    public static async Task<TimeSpan> HoldsAsync(TimeSpan deadline, string what, Func<Task<bool>> condition)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            if (await condition())
            {
                return DateTime.UtcNow - started;
            }
            if (DateTime.UtcNow - started > deadline)
            {
                Assert.Fail($"Not within {deadline.TotalMilliseconds} ms: {what}");
            }
            await Task.Delay(50);
        }
    }
}
