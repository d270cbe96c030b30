using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Storage;

namespace Parapet.Hosting;

/// <summary>
/// First-start and every-start work: migrations, the properties document (issuer = first URL served), signing keys,
/// and the admin client whose credentials the CLI reads.
/// </summary>
internal static class Bootstrap
{
    public static async Task RunAsync(WebApplication app, ServerOptions options, CancellationToken ct)
    {
        var services = app.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Parapet.Bootstrap");
        await StorageRegistration.MigrateAsync(services, ct);

        var propertyStore = services.GetRequiredService<IPropertyStore>();
        if (await propertyStore.LoadAsync(ct) is null)
        {
            await propertyStore.SaveAsync(new ServerProperties { Issuer = options.FirstUrl }, expectedRevision: 0, ct);
        }
        var snapshot = await services.GetRequiredService<LivePropertySource>().RefreshAsync(ct);

        await services.GetRequiredService<SigningKeys>().EnsureAsync(ct);
        await services.GetRequiredService<EncryptionKeys>().EnsureAsync(ct);

        var clients = services.GetRequiredService<IClientStore>();
        var credentialsPath = AdminCredentials.PathIn(options.DataDir);
        if (await clients.FindAsync(AdminCredentials.ClientIdValue, ct) is null)
        {
            var secret = ClientSecrets.Generate();
            var admin = new Client
            {
                ClientId = AdminCredentials.ClientIdValue,
                ClientName = "Parapet administration (CLI, TUI, console)",
                SecretHash = ClientSecrets.Hash(secret),
                TokenEndpointAuthMethod = ClientAuthMethods.ClientSecretBasic,
                GrantTypes = [GrantTypeNames.ClientCredentials],
                ResponseTypes = [],
                Scopes = [ScopeCatalog.Admin],
                CreatedAt = DateTimeOffset.UtcNow,
                Version = 1,
            };
            if (await clients.AddAsync(admin, ct))
            {
                new AdminCredentials(snapshot.Properties.Issuer, admin.ClientId, secret).Write(options.DataDir);
                logger.LogInformation("Created the admin client; its credentials are in {Path} (mode 0600)", Path.GetFullPath(credentialsPath));
                return;
            }
        }
        if (File.Exists(credentialsPath))
        {
            logger.LogInformation("Admin credentials: {Path}", Path.GetFullPath(credentialsPath));
        }
        else
        {
            // Another node (sharing this database) created the admin client: its data directory holds the credentials.
            logger.LogInformation("The admin client exists; its credentials file is in the data directory of the node that created it");
        }
    }
}
