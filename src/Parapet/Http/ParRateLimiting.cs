using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Http;

/// <summary>
/// DESIGN §2.1.1: a client that pushes too fast gets 429 with Retry-After. ASP.NET Core's rate limiter, one fixed window per
/// client per minute, sized by the live <c>parRateLimitPerMinute</c> (the limit is part of the partition key, so a change
/// takes effect at once). The client is known from its Basic header; other callers are counted per IP.
/// </summary>
internal static class ParRateLimiting
{
    public const string Policy = "par";

    public static IServiceCollection AddParRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IPropertySource>().Current.Properties.ParRateLimitPerMinute;
                if (limit <= 0)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                return RateLimitPartition.GetFixedWindowLimiter($"{CallerKey(http)}|{limit}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : 60;
                var http = context.HttpContext;
                var result = OAuthResults.Error(http, OAuthErrors.RateLimited(Math.Max(1, retryAfter)));
                await result.ExecuteAsync(http);
            };
        });

    private static string CallerKey(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return "client:" + decoded[..colon];
                }
            }
            catch (FormatException)
            {
                // Falls through to the IP: a malformed header is still counted.
            }
        }
        return "ip:" + http.Connection.RemoteIpAddress;
    }
}
