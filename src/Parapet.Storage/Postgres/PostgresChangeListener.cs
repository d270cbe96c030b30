using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Parapet.Storage.Postgres;

/// <summary>
/// LISTENs for the <c>parapet_properties</c> notification (sent by a trigger on every change of the properties row) and
/// refreshes the snapshot at once. If the connection drops, polling covers the gap while it reconnects.
/// </summary>
internal sealed class PostgresChangeListener(string connectionString, LivePropertySource properties, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    public const string Channel = "parapet_properties";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => _ = RefreshAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                backoff = TimeSpan.FromMilliseconds(250);
                // A change may have happened while we were not listening.
                await RefreshAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Change notifications unavailable ({Reason}); polling the revision until they are back", e.Message);
                await Task.Delay(backoff, TimeProvider.System, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            await properties.RefreshAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Refreshing properties after a notification failed: {Reason}", e.Message);
        }
    }
}
