namespace Parapet.Hosting;

/// <summary>
/// Keeps the garbage collector's youngest generation small. The runtime sizes it from the CPU's last-level cache, and
/// virtual machines may report one of hundreds of megabytes (this project's benchmark VM reports 320 MB), so under load the
/// server grew by ~30 MB of short-lived request garbage before its first collection. The knob that bounds it
/// (<c>DOTNET_GCgen0size</c>) exists only as an environment variable, which <c>parapet serve</c> cannot set for itself;
/// so every <see cref="Interval"/> this collects generation 0 once <see cref="Budget"/> bytes were allocated since the last
/// collection of it. A generation-0 collection of request garbage is short (its survivors are the requests in flight); an
/// idle server allocates next to nothing and is not collected, the tick only reads two counters.
/// </summary>
internal sealed class YoungGenerationBudget : BackgroundService
{
    internal const long Budget = 2 * 1024 * 1024;
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var collections = GC.CollectionCount(0);
        var allocated = GC.GetTotalAllocatedBytes();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var nowCollections = GC.CollectionCount(0);
                var nowAllocated = GC.GetTotalAllocatedBytes();
                if (nowCollections != collections)
                {
                    // The runtime collected on its own: count from there.
                    (collections, allocated) = (nowCollections, nowAllocated);
                }
                else if (nowAllocated - allocated >= Budget)
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    (collections, allocated) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
