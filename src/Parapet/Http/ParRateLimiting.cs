using System.Threading.RateLimiting;
using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Http;

/// <summary>
/// DESIGN §2.1.1: a client that pushes too fast gets 429 with Retry-After. System.Threading.RateLimiting's fixed window, one
/// per client per minute, sized by the live <c>parRateLimitPerMinute</c> (the limit is part of the partition key, so a change
/// takes effect at once). The client is known from its Basic header; other callers are counted per IP.
/// </summary>
/// <remarks>
/// Checked by the endpoint as its first step rather than by ASP.NET Core's rate-limiting middleware: the middleware ran on
/// every push even with no limit set (the default), and with its lease and its async layer it cost ~1-2 µs per push
/// (bench/README.md). Without a limit this is one comparison.
/// </remarks>
internal sealed class ParRateLimiting : IDisposable
{
    private readonly PartitionedRateLimiter<(string Caller, int Limit)> _limiter =
        PartitionedRateLimiter.Create<(string Caller, int Limit), (string Caller, int Limit)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = k.Limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

    /// <summary>Null when the caller may push; otherwise the 429 to answer.</summary>
    public OAuthError? Check(HttpContext http, ServerProperties properties)
    {
        var limit = properties.ParRateLimitPerMinute;
        if (limit <= 0)
        {
            return null;
        }
        using var lease = _limiter.AttemptAcquire((CallerKey(http), limit));
        if (lease.IsAcquired)
        {
            return null;
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : 60;
        return OAuthErrors.RateLimited(Math.Max(1, retryAfter));
    }

    private static string CallerKey(HttpContext http)
    {
        // A malformed header falls through to the IP: it is still counted.
        var header = http.Request.Headers.Authorization.ToString();
        return BasicAuthorization.IsBasic(header) && BasicAuthorization.Split(header) is (var id, _)
            ? "client:" + id
            : "ip:" + http.Connection.RemoteIpAddress;
    }

    public void Dispose() => _limiter.Dispose();
}
