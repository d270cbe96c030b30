using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Storage;

namespace Parapet.Hosting;

/// <summary>
/// First-start and every-start work: migrations, the key ring's encryption at rest, the properties document (issuer = first URL served), signing keys,
/// and the admin client whose credentials the CLI reads.
/// </summary>
internal static class Bootstrap
{
    /// <summary>
    /// The properties of a new server: the issuer is the first URL served and, with an mTLS listener on a concrete host, the
    /// mTLS endpoint aliases point at it (RFC 8705 §5); both stay editable properties afterwards.
    /// </summary>
    private static ServerProperties FirstProperties(ServerOptions options)
    {
        var properties = new ServerProperties { Issuer = options.FirstUrl };
        var mtls = ServerOptions.Split(options.MtlsUrls).FirstOrDefault()?.TrimEnd('/');
        if (mtls is null || !Uri.TryCreate(mtls, UriKind.Absolute, out var uri) || uri.Host is "0.0.0.0" or "[::]" || mtls.Contains('*') || mtls.Contains('+'))
        {
            return properties;
        }
        return properties with
        {
            MtlsParEndpoint = mtls + "/par",
            MtlsTokenEndpoint = mtls + "/token",
            MtlsUserInfoEndpoint = mtls + "/userinfo",
            MtlsIntrospectionEndpoint = mtls + "/introspect",
            MtlsTokenRevocationEndpoint = mtls + "/revoke",
        };
    }

    public static async Task RunAsync(WebApplication app, ServerOptions options, CancellationToken ct)
    {
        var services = app.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Parapet.Bootstrap");
        await StorageRegistration.MigrateAsync(services, ct);
        await KeyRingProtection.SecureAsync(services, logger, ct);

        var propertyStore = services.GetRequiredService<IPropertyStore>();
        if (await propertyStore.LoadAsync(ct) is null)
        {
            await propertyStore.SaveAsync(FirstProperties(options), expectedRevision: 0, ct);
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
