using Parapet.Protocol.Properties;

namespace Parapet.Hosting;

/// <summary>
/// Every second: retires expired previous keys, rotates when <c>keyRotationInterval</c> says so, and reloads the keys when
/// the stored set changed, so a rotation made on any node is signed with here within a second (DESIGN §4.4).
/// </summary>
internal sealed class SigningKeyRotation(SigningKeys keys, IPropertySource source, ILogger<SigningKeyRotation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, stoppingToken);
                await keys.TickAsync(source.Current.Properties, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not check the signing keys; keeping the loaded ones");
            }
        }
    }
}
