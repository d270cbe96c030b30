using System.Collections.Concurrent;

namespace Parapet.Http;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failures for one username or one IP within the window,
/// further attempts for it are refused until the window has passed. In memory, per node.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> _failures = new();

    public bool IsBlocked(string username, string ip) => Blocked("u:" + username) || Blocked("ip:" + ip);

    public void Failed(string username, string ip)
    {
        Count("u:" + username);
        Count("ip:" + ip);
    }

    public void Succeeded(string username) => _failures.TryRemove("u:" + username, out _);

    private bool Blocked(string key) =>
        _failures.TryGetValue(key, out var entry) && entry.Count >= MaxFailures && time.GetUtcNow() - entry.Since < Window;

    private void Count(string key)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(key, (1, now), (_, e) => now - e.Since >= Window ? (1, now) : (e.Count + 1, e.Since));
        if (_failures.Count > 100_000)
        {
            foreach (var stale in _failures.Where(e => now - e.Value.Since >= Window).Select(e => e.Key).ToList())
            {
                _failures.TryRemove(stale, out _);
            }
        }
    }
}
