using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Storage;

/// <summary>
/// The in-memory snapshot of the stored properties, swapped atomically when the stored revision changes (DESIGN §4.4).
/// A change made anywhere (admin API, another node, a direct UPDATE that bumps the revision) is picked up by polling
/// the revision, a one-integer query, four times per <c>configurationUpdateInterval</c>.
/// </summary>
public sealed class LivePropertySource(IPropertyStore store, ILogger<LivePropertySource> logger) : BackgroundService, IPropertySource
{
    private volatile PropertySnapshot? _current;

    public PropertySnapshot Current => _current ?? throw new InvalidOperationException("Properties are not loaded yet.");

    /// <summary>Reloads when the stored revision differs from the snapshot's. Returns the current snapshot.</summary>
    public async Task<PropertySnapshot> RefreshAsync(CancellationToken ct)
    {
        var revision = await store.RevisionAsync(ct);
        var current = _current;
        if (current is not null && current.Revision == revision)
        {
            return current;
        }
        var loaded = await store.LoadAsync(ct) ?? throw new InvalidOperationException("The properties row is missing; run 'parapet migrate'.");
        var parsed = PropertyDocument.Parse(loaded.Document);
        if (parsed.Failed)
        {
            // A hand-edited row that does not validate must not take the server down: keep the last good snapshot.
            logger.LogError("Stored properties revision {Revision} are invalid and were not applied: {Reason}", loaded.Revision, parsed.Error!.Description);
            return current ?? throw new InvalidOperationException($"Stored properties are invalid: {parsed.Error!.Description}");
        }
        var snapshot = new PropertySnapshot(parsed.Value!, loaded.Revision);
        _current = snapshot;
        if (current is not null)
        {
            logger.LogInformation("Properties revision {Revision} applied", loaded.Revision);
        }
        return snapshot;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = _current?.Properties.ConfigurationUpdateInterval ?? 1;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * interval), TimeProvider.System, stoppingToken);
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not refresh the properties; keeping revision {Revision}", _current?.Revision);
            }
        }
    }
}
