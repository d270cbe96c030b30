using System.Collections.Concurrent;
using System.Net;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// A 201 from /par means the row is committed (DESIGN §5): on the embedded SQLite store (WAL, synchronous=NORMAL, pushed
/// requests in two files), a SIGKILL in the middle of load loses no request URI that was confirmed.
/// </summary>
public sealed class SqliteDurabilityTests(RedirectTarget target) : IClassFixture<RedirectTarget>
{
    [Fact]
    public async Task Pushed_requests_confirmed_before_a_SIGKILL_survive_the_restart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parapet-e2e", Guid.NewGuid().ToString("N"));
        var first = new ParapetProcess { DataDir = dataDir, KeepDataDir = true };
        await first.InitializeAsync();
        var client = await first.CreateClientAsync(target.RedirectUri);
        var confirmed = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (status, body) = await Flow.TryPushAsync(first, client, Attempt.New());
                    if (status == HttpStatusCode.Created)
                    {
                        confirmed.Add(body["request_uri"]!.GetValue<string>());
                    }
                }
                catch (HttpRequestException)
                {
                    return; // killed
                }
            }
        })).ToArray();
        // More than the writer appends to one file before it moves to the other (1,024 rows), so that confirmed requests are
        // in both the database and the second file (parapet-par.db) when the process dies.
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(60), "1,500 pushes confirmed", () => Task.FromResult(confirmed.Count >= 1500));

        await first.KillAsync();
        var second = Path.Combine(dataDir, "parapet-par.db");
        var secondBytes = new FileInfo(second).Length + (File.Exists(second + "-wal") ? new FileInfo(second + "-wal").Length : 0);
        Assert.True(secondBytes > 256 * 1024, $"the second file holds {secondBytes} bytes: no pushed requests went there");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await first.DisposeAsync();

        await using var restarted = new ParapetProcess { DataDir = dataDir, SharedAdmin = first.Admin };
        await restarted.InitializeAsync();
        var lost = new List<string>();
        foreach (var requestUri in confirmed)
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = restarted.BaseAddress };
            using var response = await http.GetAsync(Flow.AuthorizeUrl(restarted, client, requestUri));
            if (response.StatusCode != HttpStatusCode.Redirect || !response.Headers.Location!.OriginalString.StartsWith("/login", StringComparison.Ordinal))
            {
                lost.Add(requestUri);
            }
        }
        Assert.True(lost.Count == 0, $"{lost.Count} of {confirmed.Count} confirmed request URIs were lost after SIGKILL");
    }
}
