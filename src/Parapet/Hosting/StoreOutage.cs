using System.Data.Common;
using System.Net.Sockets;

namespace Parapet.Hosting;

/// <summary>
/// Tells a database outage (connection refused, server restarting, timeout) from a bug, so the server can answer
/// 503 <c>temporarily_unavailable</c> with Retry-After and recover by itself when the database is back (DESIGN §5).
/// </summary>
internal static class StoreOutage
{
    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or SocketException or TimeoutException)
            {
                return true;
            }
            // PostgreSQL: class 08 (connection exception) and 57P (operator intervention: shutdown, restart).
            if (e is DbException db && db.SqlState is { } state && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal)))
            {
                return true;
            }
        }
        return false;
    }
}
