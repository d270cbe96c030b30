using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Parapet.Tests.Shared;

/// <summary>
/// Free loopback ports for the servers a test starts. A port is free when probed, not when the server binds it seconds later
/// (a Parapet process migrates and creates keys first): in that window the kernel may offer the same port to the next probe,
/// and a test's redirect target took a server's port that way in CI (the server failed to bind; its readiness probe was
/// answered by the redirect target). So a port handed out once is never handed out again in this test process.
/// </summary>
public static class FreePorts
{
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, true))
            {
                return port;
            }
        }
    }
}
